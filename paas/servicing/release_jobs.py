"""The held payouts (servicing and claims) whose hold has ended are paid: ``portal servicing
release-held`` as a job, which the worker also runs on a schedule."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paas.claims import payout_hold as claim_payout_hold
from paas.jobs.registry import job_handler
from paas.servicing.payee_hold import release_due

if TYPE_CHECKING:
    from paas.platform import Platform

RELEASE_HELD = "payouts.release_held"


def release_held(platform: "Platform") -> tuple[dict[str, int], int]:
    """(servicing counts: released / declined / still_held, claim payments released)."""
    return release_due(platform), claim_payout_hold.release_due(platform)


@job_handler(RELEASE_HELD, every_seconds=900)
def release_held_job(platform: "Platform", _payload: dict[str, Any]) -> None:
    release_held(platform)
