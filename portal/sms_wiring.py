"""The SMS channel's inbound side, from settings. Embedded default: the console's simulator
and ``portal sms receive`` only. With ``PORTAL_SMS_SNS_TOPIC_ARNS`` (comma-separated) the
HTTPS endpoint for SNS is served; with ``PORTAL_SMS_SQS_QUEUE_URL`` the queue is read by
``portal sms poll`` and by the worker (``poll_sms_queue``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iaas.sms_inbound.sns import SnsVerifier
from iaas.sms_inbound.sqs import SqsInbound
from portal.config import ConfigurationError, Settings

if TYPE_CHECKING:
    from flask import Flask

    from paas.platform import Platform


def topic_arns(settings: Settings) -> list[str]:
    return [arn.strip() for arn in settings.extra.get("PORTAL_SMS_SNS_TOPIC_ARNS", "").split(",") if arn.strip()]


def sns_verifier(settings: Settings) -> SnsVerifier | None:
    arns = topic_arns(settings)
    return SnsVerifier(arns) if arns else None


def install_sms(app: "Flask", settings: Settings) -> None:
    from saas.console.sms_views import SIMULATOR_SETTING
    from saas.sms import pay_views, sns_endpoint

    app.register_blueprint(pay_views.blueprint)
    app.config[SIMULATOR_SETTING] = not settings.production
    verifier = sns_verifier(settings)
    if verifier is not None:
        sns_endpoint.install(app, verifier)


def sqs_reader(settings: Settings, *, client: Any = None, verifier: SnsVerifier | None = None) -> SqsInbound | None:
    """The queue reader, or None when no queue is configured."""
    url = settings.extra.get("PORTAL_SMS_SQS_QUEUE_URL", "")
    if not url:
        return None
    raw = settings.extra.get("PORTAL_SMS_SQS_RAW_DELIVERY", "") in ("1", "true", "yes")
    verifier = verifier or sns_verifier(settings)
    if verifier is None and not raw:
        raise ConfigurationError("PORTAL_SMS_SQS_QUEUE_URL needs PORTAL_SMS_SNS_TOPIC_ARNS (or raw delivery)")
    if client is None:
        import boto3  # only when a queue is configured: the embedded default needs no AWS client

        client = boto3.client("sqs", endpoint_url=settings.extra.get("PORTAL_SMS_SQS_ENDPOINT") or None)
    return SqsInbound(client, url, verifier, raw_delivery=raw)


def poll_sms_queue(platform: "Platform", reader: SqsInbound, *, wait_seconds: int = 0, max_messages: int = 10) -> int:
    """One batch from the queue, answered through ``saas.sms.batch.handle_batch`` (the queries
    of a batch in one transaction); returns how many were taken off the queue. For ``portal
    worker`` and ``portal sms poll``."""
    from saas.sms.batch import handle_batch

    return reader.poll(lambda batch: handle_batch(platform, batch), max_messages=max_messages,
                       wait_seconds=wait_seconds)


POLL_JOB = "sms.poll_inbound"


def register_poll_job(settings: Settings) -> bool:
    """With an inbound queue configured, every worker reads it between jobs (every 20 s, or
    ``PORTAL_EVERY_SMS_POLL_INBOUND``); True if it was registered."""
    reader = sqs_reader(settings)
    if reader is None:
        return False
    from paas.jobs.registry import job_handler

    @job_handler(POLL_JOB, every_seconds=20)
    def poll_inbound(platform: "Platform", _payload: dict) -> None:
        while poll_sms_queue(platform, reader) == 10:  # a full batch: there may be more
            pass

    return True
