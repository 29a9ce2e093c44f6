"""The cycle's notices built in worker processes are the very notices built in this one: the
same rows, byte for byte, each signature over its own canonical data and verifying, and a
tampered copy refused."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from iaas.keyring import LocalKeyRing
from paas.notices import document, signing
from paas.notices.from_events import EventFacts

NOW = datetime(2026, 12, 3, 2, tzinfo=timezone.utc)


def facts(count: int) -> list[tuple]:
    kinds = [("premium_due", "", {"amount": "1200.00", "due_date": "2027-01-01"}),
             ("annual_statement", "", {"year": "6", "period_start": "2025-12-15", "period_end": "2026-12-14",
                                       "payments": "10", "premiums_paid": "1001.00", "cash_value": "3456.78"}),
             ("claim_decision", "CL1", {"status": "reported"})]  # tells nothing: no notice
    rows = []
    for number in range(1, count + 1):
        kind, reference, data = kinds[number % len(kinds)]
        rows.append(tuple(EventFacts(
            number, kind, reference, date(2026, 12, 1), json.dumps(data), number, f"P{number:08d}",
            Decimal("100000.00"), Decimal("1200.00"), "annual", date(2020, 12, 1), "终身寿险", "Whole life", number,
            "张三丰" if number % 2 else "Jane Smith", "en" if number % 5 == 0 else None)))
    return rows


def built(ring, rows, workers: int) -> list[dict]:
    with signing.chunk_builder(ring, NOW, workers) as build:
        return [dict(zip(signing.NOTICE_COLUMNS, row))
                for part in [build(rows[start:start + 50]) for start in range(0, len(rows), 50)] for row in part.result()]


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here")
def test_workers_make_the_same_notices_as_this_process():
    ring, rows = LocalKeyRing.generate(), facts(300)
    here, there = built(ring, rows, 0), built(ring, rows, 2)
    assert len(here) == 200 and here == there  # every third event tells nothing
    for row in there:
        data = json.loads(row["canonical"])
        assert document.canonical_bytes(data) == row["canonical"]
        assert row["code"] == document.verification_code(row["signature"])
        assert document.verify(data, row["signature"], row["key_id"], keys=ring)
        assert document.verify(data, row["signature"], row["key_id"], keys=ring.public_keys())
    tampered = json.loads(there[1]["canonical"])
    tampered["fields"]["premiums_paid"] = "1.00"
    assert not document.verify(tampered, there[1]["signature"], there[1]["key_id"], keys=ring)


def test_only_a_large_batch_goes_to_workers(monkeypatch):
    monkeypatch.setattr(signing.os, "cpu_count", lambda: 2)
    assert signing.workers_for(signing.PARALLEL_FROM - 1) == 0
    assert signing.workers_for(signing.PARALLEL_FROM) == 2
    monkeypatch.setattr(signing.os, "cpu_count", lambda: 1)
    assert signing.workers_for(10 * signing.PARALLEL_FROM) == 0
