"""Step 10 - reminders of missing claim documents (``paas.claims.reminders``, the claims work):
a claim waiting a week or more for required documents raises an event for the notices, again
each week while they are missing. Not per policy: run once a night by partition 1, in one
transaction; a rerun raises nothing new (events are unique per policy, kind and date)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "claim_reminders"


def run(platform: "Platform", on: date) -> int:
    """Raise the reminders due on ``on``; returns how many were raised."""
    from paas.claims.reminders import remind_missing_documents

    with platform.unit_of_work() as uow:
        raised = remind_missing_documents(uow, on)
        uow.commit()
    return raised
