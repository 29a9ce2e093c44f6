"""The notices' job: a sweep that sends the deliveries that are due - retries whose wait is
over, and the night's notices the cycle recorded in bulk (a request's own notices go right
after its commit; this catches everything else)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paas.jobs.registry import job_handler
from paas.notices.delivery import deliver_due

if TYPE_CHECKING:
    from paas.platform import Platform

DELIVER_DUE_JOB = "notices.deliver_due"
BATCH = 100


@job_handler(DELIVER_DUE_JOB, every_seconds=60)
def deliver_due_notices(platform: "Platform", _payload: dict[str, Any]) -> None:
    while True:  # one transaction per batch: a failure loses at most the batch's bookkeeping
        with platform.unit_of_work() as uow:
            run = deliver_due(uow, uow.clock.now(), limit=BATCH)
            uow.commit()
        if run.sent + run.retrying + run.failed + run.suppressed < BATCH:
            return
