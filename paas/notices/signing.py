"""Notices built and signed from their events' facts, a chunk at a time: in this process, or -
for a large batch on a machine with more than one core - in worker processes, one per core,
while this process writes the previous chunks to the database.

Both ways run the same function (``build_rows``) over the same facts, and Ed25519 signatures
are deterministic, so a notice is byte for byte the same whichever way it was made (tested).
The workers are forked: they inherit the key ring in memory, so no key is written to a pipe or
a file, and they live only for the batch."""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

from paas.i18n import DEFAULT_LOCALE, supported
from paas.notices import document
from paas.notices.event_kinds import KINDS
from paas.notices.from_events import BUILDERS, EventFacts

if TYPE_CHECKING:
    from iaas.keyring import KeyRing

# Below this many events a batch is built here: starting the workers (~30 ms each) and carrying
# the facts to them and the rows back costs more than it saves.
PARALLEL_FROM = 20_000


def notice_number(event_id: int) -> str:
    return f"N{event_id:011d}"


# A notice's row as built: a tuple in this order (carried back from a worker in a fifth of a
# dict's pickling, and COPYed as it is).
NOTICE_COLUMNS = ("code", "customer_id", "policy_id", "event_id", "notice_type", "locale", "issued_on", "canonical",
                  "signature", "key_id", "created_at")
EVENT_ID, NOTICE_TYPE = NOTICE_COLUMNS.index("event_id"), NOTICE_COLUMNS.index("notice_type")


def notice_row(facts: EventFacts, keyring: "KeyRing", now) -> tuple | None:
    """The notices row of one event (``NOTICE_COLUMNS``): its canonical data, checked, and
    signed; None if the event tells nothing."""
    fields = BUILDERS[facts.kind](facts)
    if fields is None:
        return None
    language = supported(facts.locale) or DEFAULT_LOCALE
    notice_type = KINDS[facts.kind].notice
    data = document.build(  # checked against its type here, so signed as built (document.sign would check again)
        notice_type, notice_number=notice_number(facts.event_id), language=language, issued_on=facts.on,
        recipient_name=facts.customer_name, policy_number=facts.policy_number, fields=fields)
    canonical = document.canonical_bytes(data)
    key_id, signature = keyring.sign(canonical, purpose=document.PURPOSE)
    return (document.verification_code(signature), facts.customer_id, facts.policy_id, facts.event_id, notice_type,
            language, facts.on, canonical, signature, key_id, now)


def build_rows(facts: Sequence[tuple], keyring: "KeyRing", now) -> list[tuple]:
    """The rows of a chunk of events (each ``facts`` entry: ``EventFacts``' values in order)."""
    rows = []
    for values in facts:
        row = notice_row(EventFacts._make(values), keyring, now)
        if row is not None:
            rows.append(row)
    return rows


class _Built:
    """A chunk built here, with a ``Future``'s ``result()``."""

    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows

    def result(self) -> list[tuple]:
        return self._rows


_worker: dict = {}  # in a worker: the key ring and time it was forked with


def _adopt(keyring: "KeyRing", now) -> None:
    _worker.update(keyring=keyring, now=now)


def _build_in_worker(facts: Sequence[tuple]) -> list[tuple]:
    return build_rows(facts, _worker["keyring"], _worker["now"])


def workers_for(events: int) -> int:
    """How many worker processes a batch of ``events`` gets: none when small, or on one core."""
    cores = os.cpu_count() or 1
    if events < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return cores


@contextmanager
def chunk_builder(keyring: "KeyRing", now, workers: int) -> Iterator[Callable[[Sequence[tuple]], "Future | _Built"]]:
    """``build(facts)`` -> something whose ``result()`` is the chunk's rows; in workers if ``workers``."""
    if not workers:
        yield lambda facts: _Built(build_rows(facts, keyring, now))
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_adopt, initargs=(keyring, now)) as pool:
        yield lambda facts: pool.submit(_build_in_worker, facts)
