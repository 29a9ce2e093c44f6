"""The outbox's job: deliver what is pending (queued by ``outbox.queue`` in the same transaction
as the message, run by a worker after the commit)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paas.jobs.registry import job_handler
from paas.messaging import outbox

if TYPE_CHECKING:
    from paas.platform import Platform


@job_handler(outbox.DELIVER_JOB, every_seconds=60)  # also a sweep: messages whose first try failed
def deliver_outbox(platform: "Platform", _payload: dict[str, Any]) -> None:
    while outbox.deliver_pending(platform) == outbox.BATCH:  # a full batch: there may be more
        pass
