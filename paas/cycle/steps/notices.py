"""Step 9 - the night's notices (``paas.notices.records``): every event raised tonight for the
batch's policies that makes a notice (premium due, grace warning, lapse, dividend, survival
benefit, loan) becomes one, signed, with its deliveries planned - in bulk, one query and one
INSERT per thousand. Nothing is rendered or sent here: ``portal notices deliver`` (or the job
worker) sends what is due, and a letter is rendered when delivered or opened. A rerun makes
nothing twice (one notice per event)."""
from __future__ import annotations

from paas.cycle.batch import Batch
from paas.notices.records import notices_for_policies

NAME = "notices"


def run(batch: Batch) -> int:
    return len(notices_for_policies(batch.uow, batch.policies(), batch.run_date))
