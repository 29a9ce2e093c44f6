"""Which implementation each infrastructure port gets, read from the ``PORTAL_*`` environment
(``Settings.extra``). Unset means the embedded default, so ``make run`` needs no cloud at all;
the cloud adapters are chosen by value, e.g. ``PORTAL_OBJECTS=s3://bucket/prefix``. Every value
is checked here, at start-up, so a typo is a clear ``ConfigurationError``, not a failure on the
first upload or the first code sent. The README's configuration table lists them."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from portal.config import ConfigurationError, Settings

SEVEN_YEARS_IN_DAYS = 2557  # how long an insurer keeps its audit records


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str


@dataclass(frozen=True)
class CloudSettings:
    objects: S3Location | None = None  # None: the local folder
    objects_kms_key: str | None = None  # None: the bucket's default encryption
    audit_checkpoints: S3Location | None = None  # None: beside the other objects
    audit_retention_days: int = SEVEN_YEARS_IN_DAYS
    mail: tuple[str, str] = ("outbox", "")  # (kind, sender address)
    mail_configuration_set: str | None = None
    sms: tuple[str, str] = ("outbox", "")  # (kind, origination number / sender id)
    sms_configuration_set: str | None = None
    keyring_kms_key: str | None = None  # None: the local key file
    aws_region: str | None = None  # None: boto3's own (AWS_REGION)
    aws_endpoint_url: str | None = None  # moto or another stand-in; None: AWS itself

    @classmethod
    def from_settings(cls, settings: Settings) -> "CloudSettings":
        return cls.from_env(settings.extra)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "CloudSettings":
        if env.get("PORTAL_ENV") == "production":
            _require_explicit_choices(env)
        retention = env.get("PORTAL_AUDIT_RETENTION_DAYS") or str(SEVEN_YEARS_IN_DAYS)
        if not retention.isdigit():
            raise ConfigurationError(f"PORTAL_AUDIT_RETENTION_DAYS must be a whole number of days, not {retention!r}")
        return cls(
            objects=_s3(env, "PORTAL_OBJECTS"),
            objects_kms_key=env.get("PORTAL_OBJECTS_KMS_KEY") or None,
            audit_checkpoints=_s3(env, "PORTAL_AUDIT_CHECKPOINTS"),
            audit_retention_days=int(retention),
            mail=_mail(env.get("PORTAL_MAIL") or "outbox"),
            mail_configuration_set=env.get("PORTAL_MAIL_CONFIGURATION_SET") or None,
            sms=_sms(env.get("PORTAL_SMS") or "outbox"),
            sms_configuration_set=env.get("PORTAL_SMS_CONFIGURATION_SET") or None,
            keyring_kms_key=_keyring(env.get("PORTAL_KEYRING") or "local"),
            aws_region=env.get("PORTAL_AWS_REGION") or None,
            aws_endpoint_url=env.get("PORTAL_AWS_ENDPOINT_URL") or None,
        )


# In production each of these is named, the embedded value too: on several tasks a local key file
# would be a different ring in each (what one encrypts the others cannot read), and a local
# outbox would keep the customers' codes on a scratch disk instead of sending them.
EXPLICIT_IN_PRODUCTION = {"PORTAL_OBJECTS": "local or s3://bucket/prefix", "PORTAL_KEYRING": "local or kms:<key>",
                          "PORTAL_MAIL": "outbox or ses:<sender address>",
                          "PORTAL_SMS": "outbox, off, end-user-messaging:<number> or sns"}


def _require_explicit_choices(env: Mapping[str, str]) -> None:
    missing = [f"{name} ({choices})" for name, choices in EXPLICIT_IN_PRODUCTION.items() if not env.get(name)]
    if missing:
        raise ConfigurationError("in production name each port's implementation: " + "; ".join(missing))


def _s3(env: Mapping[str, str], name: str) -> S3Location | None:
    value = env.get(name) or "local"
    if value == "local":
        return None
    parts = urlsplit(value)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(f"{name} must be local or s3://bucket/prefix, not {value!r}")
    return S3Location(parts.netloc, parts.path.strip("/"))


def _mail(value: str) -> tuple[str, str]:
    kind, _, sender = value.partition(":")
    if value == "outbox":
        return ("outbox", "")
    if kind == "ses" and "@" in sender:
        return ("ses", sender)
    raise ConfigurationError(f"PORTAL_MAIL must be outbox or ses:<sender address>, not {value!r}")


def _sms(value: str) -> tuple[str, str]:
    kind, _, origin = value.partition(":")
    if value in ("outbox", "off"):
        return (value, "")
    if kind == "end-user-messaging" and origin:
        return (kind, origin)
    if kind == "sns":
        return (kind, origin)  # the sender id is optional (not every country shows one)
    raise ConfigurationError("PORTAL_SMS must be outbox, off, end-user-messaging:<origination number or "
                             f"sender id> or sns[:<sender id>], not {value!r}")


def _keyring(value: str) -> str | None:
    kind, _, key = value.partition(":")
    if value == "local":
        return None
    if kind == "kms" and key:
        return key
    raise ConfigurationError(f"PORTAL_KEYRING must be local or kms:<key ARN or alias>, not {value!r}")
