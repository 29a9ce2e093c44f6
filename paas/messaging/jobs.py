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
    # The delivery jobs waiting now were committed with their messages, so this run sees those
    # messages and sends them: the first batch drops those jobs as it commits (an SMS answered
    # is one job; a burst of them is one delivery, not one per message).
    covering = True
    while outbox.deliver_pending(platform, covering_jobs=covering) == outbox.BATCH:  # a full batch: there may be more
        covering = False
