"""Configuration from the environment (12-factor). Every setting has an embedded default, so
``make run`` needs nothing but Python; production sets ``PORTAL_ENV=production`` and the rest."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from iaas.database import sqlite_url_for
from paas.data_dir import data_dir as data_dir_of
from paas.security.policy import SecurityPolicy


class ConfigurationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    ratelimit_storage: str
    security: SecurityPolicy
    max_request_bytes: int = 2 * 1024 * 1024
    trusted_proxies: int = 0
    database_pool_size: int = 5
    # Online payment: sandbox (embedded, test cards only), stripe, or off.
    payments: str = "sandbox"
    public_url: str = "http://127.0.0.1:8000"
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""  # tests point the Stripe library at a fake API on loopback
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def keyring_path(self) -> Path:
        return self.data_dir / "keys" / "keyring.json"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def payments_sandbox_path(self) -> Path:
        return self.data_dir / "payments-sandbox.sqlite3"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        from portal.secrets_wiring import resolve_secret_references

        env = resolve_secret_references(os.environ if environ is None else environ)
        mode = env.get("PORTAL_ENV", "development")
        if mode not in ("development", "test", "production"):
            raise ConfigurationError(f"PORTAL_ENV must be development, test or production, not {mode!r}")
        data_dir = data_dir_of(env)
        secret_key = env.get("PORTAL_SECRET_KEY") or ""
        if not secret_key:
            if mode == "production":
                raise ConfigurationError("PORTAL_SECRET_KEY must be set in production")
            secret_key = _local_secret(data_dir)
        defaults = SecurityPolicy()
        security = SecurityPolicy(
            idle_timeout=timedelta(minutes=_int(env, "PORTAL_IDLE_MINUTES", 15)),
            session_lifetime=timedelta(hours=_int(env, "PORTAL_SESSION_HOURS", 12)),
            login_limit_per_account=env.get("PORTAL_LOGIN_LIMIT_ACCOUNT", defaults.login_limit_per_account),
            login_limit_per_address=env.get("PORTAL_LOGIN_LIMIT_ADDRESS", defaults.login_limit_per_address),
            argon2_time_cost=_int(env, "PORTAL_ARGON2_TIME_COST", defaults.argon2_time_cost),
            argon2_memory_cost_kib=_int(env, "PORTAL_ARGON2_MEMORY_KIB", defaults.argon2_memory_cost_kib),
            argon2_parallelism=_int(env, "PORTAL_ARGON2_PARALLELISM", defaults.argon2_parallelism),
            reveal_reason_min_length=_int(env, "PORTAL_REVEAL_REASON_MIN", defaults.reveal_reason_min_length),
            surrender_review_above=_amount(env, "PORTAL_SURRENDER_REVIEW_ABOVE", defaults.surrender_review_above),
            new_payee_hold=timedelta(hours=_hours(env, "PORTAL_NEW_PAYEE_HOLD_HOURS", 72)),
        )
        payments = env.get("PORTAL_PAYMENTS") or ("off" if mode == "production" else "sandbox")
        _check_payments(env, mode, payments)
        return cls(
            env=mode,
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or _database_from_parts(env) or sqlite_url_for(data_dir),
            secret_key=secret_key,
            ratelimit_storage=env.get("PORTAL_RATELIMIT_STORAGE") or "database",
            security=security,
            max_request_bytes=_int(env, "PORTAL_MAX_REQUEST_BYTES", 2 * 1024 * 1024),
            trusted_proxies=_int(env, "PORTAL_TRUSTED_PROXIES", 0),
            database_pool_size=_int(env, "PORTAL_DB_POOL_SIZE", 5),
            payments=payments,
            public_url=(env.get("PORTAL_PUBLIC_URL") or served_url(env)).rstrip("/"),
            stripe_secret_key=env.get("PORTAL_STRIPE_SECRET_KEY", ""),
            stripe_webhook_secret=env.get("PORTAL_STRIPE_WEBHOOK_SECRET", ""),
            stripe_api_base=env.get("PORTAL_STRIPE_API_BASE", ""),
            extra={k: v for k, v in env.items() if k.startswith("PORTAL_")},
        )


def _database_from_parts(env: Mapping[str, str]) -> str | None:
    """PostgreSQL from PORTAL_DB_HOST/_PORT/_NAME/_USER/_PASSWORD, as a container gets them (the
    password injected from a secret, so no URL with it in clear sits in the task definition)."""
    host = env.get("PORTAL_DB_HOST")
    if not host:
        return None
    user, password = quote(env.get("PORTAL_DB_USER", "portal"), safe=""), quote(env.get("PORTAL_DB_PASSWORD", ""), safe="")
    credentials = f"{user}:{password}" if password else user
    return (f"postgresql://{credentials}@{host}:{env.get('PORTAL_DB_PORT') or '5432'}/"
            f"{env.get('PORTAL_DB_NAME') or 'portal'}?sslmode={env.get('PORTAL_DB_SSLMODE') or 'require'}")


def bind_address(env: Mapping[str, str]) -> str:
    """Where gunicorn listens: ``PORTAL_BIND``, else ``HOST``:``PORT`` (what ``make run`` takes)."""
    return env.get("PORTAL_BIND") or f"{env.get('HOST') or '127.0.0.1'}:{env.get('PORT') or '8000'}"


def served_url(env: Mapping[str, str]) -> str:
    """The public URL when none is set: the address the portal is served on, so the sandbox's
    checkout and its webhooks come back to this process whatever port it was started on."""
    host, _, port = bind_address(env).rpartition(":")
    if host in ("", "0.0.0.0", "::", "[::]"):  # listening everywhere: this machine reaches it on loopback
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _check_payments(env: Mapping[str, str], mode: str, payments: str) -> None:
    if payments not in ("sandbox", "stripe", "off"):
        raise ConfigurationError(f"PORTAL_PAYMENTS must be sandbox, stripe or off, not {payments!r}")
    if payments == "sandbox" and mode == "production":
        # Test cards would credit real policies with money nobody paid.
        raise ConfigurationError("PORTAL_PAYMENTS=sandbox is not allowed in production")
    if payments == "stripe":
        missing = [name for name in ("PORTAL_STRIPE_SECRET_KEY", "PORTAL_STRIPE_WEBHOOK_SECRET") if not env.get(name)]
        if missing:
            raise ConfigurationError(f"PORTAL_PAYMENTS=stripe needs {' and '.join(missing)}")
    if not (env.get("PORTAL_PUBLIC_URL") or "http://").startswith(("http://", "https://")):
        raise ConfigurationError("PORTAL_PUBLIC_URL must start with http:// or https://")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc


def _hours(env: Mapping[str, str], name: str, default: int) -> int:
    hours = _int(env, name, default)
    if hours < 0:  # a negative hold would count every account as old
        raise ConfigurationError(f"{name} must be 0 or more, not {hours}")
    return hours


def _amount(env: Mapping[str, str], name: str, default: Decimal) -> Decimal:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ConfigurationError(f"{name} must be an amount in yuan, not {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise ConfigurationError(f"{name} must be an amount in yuan, not {raw!r}")
    return value


def _local_secret(data_dir: Path) -> str:
    """Development only: a signing key generated once and kept in the data folder."""
    return local_secret(data_dir / "keys" / "secret_key")


def local_secret(path: Path, prefix: str = "") -> str:
    """A secret generated once into the data folder (readable by its owner only)."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = prefix + secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value
