"""Step 11 - the night's print batch for the mail room (``paas.notices.printing``): every letter
due on paper, the night's notices among them (so after step 10), in one PDF behind an address
sheet, stored in the object store and listed in the console.

Not per policy: one batch a night, by partition 1, only where an object store is configured.
The batch is named by the night (``P<date>-night``); a rerun, ``again`` too, finds letters
printed under that name and makes no second batch, and a night that failed before its commit
left its letters waiting, so the rerun prints them (under the same name, the same object).
Letters beyond ``BATCH_LIMIT`` or made later wait for the next night, or the console's button.
Audited as the system."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from paas.notices import printing

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "print_letters"


def applies(platform: "Platform") -> bool:
    return platform.objects is not None


def batch_name(on: date) -> str:
    return f"P{on:%Y%m%d}-night"


def run(platform: "Platform", on: date) -> int:
    """Print the night's batch; returns how many letters it holds (0: none, or made already)."""
    with platform.unit_of_work() as uow:
        batch = printing.print_batch(uow, None, uow.clock.now(), name=batch_name(on))
        uow.commit()
    return batch.letters if batch is not None else 0
