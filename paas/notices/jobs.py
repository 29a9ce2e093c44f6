"""The notices' jobs: a change's own notices, sent once it is committed; and a sweep that
sends every delivery that is due - retries whose wait is over, and the night's notices the
cycle recorded in bulk."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paas.jobs.registry import job_handler
from paas.notices.delivery import DELIVER_MADE_JOB, deliver_due, deliver_made

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


@job_handler(DELIVER_MADE_JOB)
def deliver_made_notice(platform: "Platform", payload: dict[str, Any]) -> None:
    with platform.unit_of_work() as uow:  # safe twice: a delivery already sent is not due
        deliver_made(uow, [int(payload["notice_id"])])
        uow.commit()
