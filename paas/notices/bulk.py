"""The one way to raise policy events in bulk (the nightly cycle): set-based, from a SELECT
over the policies a rule matches (``event_rows`` + ``raise_for_rows``), or as rows the cycle's
per-policy work collected (``insert_events``). Each checks its kind and data against the
registry like ``paas.notices.events.raise_event`` does; a row already there (same policy,
kind, reference and date) is skipped, so a rerun raises nothing twice.

Details are written as ``json.dumps(..., sort_keys=True)`` would write them (every value a
string), so an event raised set-based reads the same as one raised by ``raise_event``.
Notices are made from these events afterwards, in bulk too (``paas.notices.recording``)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from sqlalchemy import ColumnElement, Date, String, bindparam, literal, select
from sqlalchemy.orm import Session

from paas.insert_once import insert_ignoring_duplicates
from paas.notices.event_kinds import kind as event_kind
from paas.notices.events import detail_json
from paas.notices.models import PolicyEvent

EVENT_COLUMNS = ("policy_id", "type", "reference", "event_date", "detail", "created_at")
COUNTED = {"preserve_rowcount": True}  # SQLAlchemy keeps an INSERT's row count only when asked
CHUNK = 500  # rows per statement (SQLite allows 32,766 parameters)


def json_detail(**fields: ColumnElement | str | date) -> ColumnElement[str]:
    """A JSON object of string values, keys sorted; each value a constant or a text column."""
    pieces: list = []
    for position, key in enumerate(sorted(fields)):
        value = fields[key]
        opening = ("{" if position == 0 else ", ") + json.dumps(key) + ": "
        if isinstance(value, ColumnElement):
            pieces += [opening + '"', value, '"']
        else:
            text = value.isoformat() if isinstance(value, date) else str(value)
            pieces.append(opening + json.dumps(text, ensure_ascii=False))
    pieces.append("}")
    expression = literal(pieces[0], String) if isinstance(pieces[0], str) else pieces[0]
    for piece in pieces[1:]:
        expression = expression + (literal(piece, String) if isinstance(piece, str) else piece)
    return expression


def event_rows(policy_id: ColumnElement[int], kind: str, on: date, fields: Mapping[str, ColumnElement | str | date]):
    """The SELECT feeding the events' INSERT: one ``kind`` event per row, ``fields`` its data."""
    event_kind(kind).check("", fields)
    return select(policy_id, literal(kind, String), literal("", String), literal(on, Date), json_detail(**fields),
                  bindparam("now"))


def raise_for_rows(session: Session, rows, now: datetime) -> int:
    """Raise the events ``rows`` (an ``event_rows`` SELECT) describes; returns how many were new."""
    statement = insert_ignoring_duplicates(session.get_bind().dialect.name, PolicyEvent).from_select(EVENT_COLUMNS, rows)
    return session.execute(statement.on_conflict_do_nothing().execution_options(**COUNTED), {"now": now}).rowcount


def event_row(policy_id: int, kind: str, on: date, data: Mapping[str, object], reference: str = "") -> dict:
    """One row for ``insert_events``, checked now (where the caller can still be named)."""
    event_kind(kind).check(reference, data)
    return {"policy_id": policy_id, "type": kind, "reference": reference, "event_date": on, "detail": detail_json(data)}


def insert_events(session: Session, rows: Iterable[dict], now: datetime) -> set[int]:
    """Insert ``event_row`` rows, a multi-row INSERT per chunk; returns the policies that got a new one."""
    dialect, rows, told = session.get_bind().dialect.name, list(rows), set()
    for start in range(0, len(rows), CHUNK):
        chunk = [{**row, "created_at": now} for row in rows[start:start + CHUNK]]
        statement = insert_ignoring_duplicates(dialect, PolicyEvent).values(chunk).on_conflict_do_nothing()
        told.update(session.execute(statement.returning(PolicyEvent.policy_id)).scalars())
    return told
