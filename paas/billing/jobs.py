"""Refunds recorded by a request are handed to the provider by a worker after the commit."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paas.billing.refunds import SEND_REFUNDS_JOB, send_pending_refunds
from paas.jobs.registry import job_handler

if TYPE_CHECKING:
    from paas.platform import Platform

@job_handler(SEND_REFUNDS_JOB, every_seconds=60)  # also a sweep: refunds the provider refused for now
def send_refunds(platform: "Platform", _payload: dict[str, Any]) -> None:
    send_pending_refunds(platform)
