"""The nightly cycle through the job queue: ``cycle.share`` makes the worker that takes it join
the night (``paas.cycle.shared``); enqueue as many as workers should share it."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from paas.cycle.batch import CycleOptions
from paas.cycle.shared import share_night
from paas.jobs.registry import job_handler

if TYPE_CHECKING:
    from paas.platform import Platform

SHARE = "cycle.share"


@job_handler(SHARE)
def share_night_job(platform: "Platform", payload: dict[str, Any]) -> None:
    options = CycleOptions(batch_size=payload.get("batch_size", CycleOptions.batch_size))
    share_night(platform, date.fromisoformat(payload["date"]), partitions=payload["partitions"], options=options)
