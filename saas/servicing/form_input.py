"""Reading a servicing form built from a transaction's fields: text-like inputs as typed,
check boxes as on/off, the beneficiary editor's fixed rows as a list, and document fields as
uploads (stored through ``paas.documents.uploads``; the field then carries the reference)."""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.datastructures import FileStorage

from paas.servicing.base import Field

BENEFICIARY_ROWS = 5  # fixed rows: the editor works without JavaScript
BENEFICIARY_PARTS = ("name", "relationship", "rank", "share", "id_number")
MAX_TEXT = 400
# The HTML input for each plain field kind; kinds not listed here are typed as text.
INPUT_TYPES = {"phone": "tel", "email": "email", "date": "date"}
DECIMAL_KINDS = ("money", "percent", "units")  # typed with the numeric keyboard on a phone

Uploader = Callable[[Field, FileStorage], str]


def new_idempotency_key() -> str:
    """Rendered into each form: sending the same form twice is one request."""
    return secrets.token_urlsafe(18)


def read_form(fields: Iterable[Field], form: Mapping[str, str], files: Mapping[str, FileStorage],
              upload: Uploader) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for field in fields:
        if field.kind == "bool":
            raw[field.name] = "on" if form.get(field.name) else ""
        elif field.kind == "beneficiaries":
            raw[field.name] = beneficiaries(form, field.name)
        elif field.kind == "fund_allocation":
            raw[field.name] = per_fund(form, field.name)
        elif field.kind == "document":
            storage = files.get(field.name)
            raw[field.name] = upload(field, storage) if storage is not None and storage.filename else ""
        else:
            raw[field.name] = (form.get(field.name) or "")[:MAX_TEXT]
    return raw


def beneficiaries(form: Mapping[str, str], name: str) -> list[dict[str, str]]:
    """The rows someone filled in (a name or a share); blank rows are not beneficiaries."""
    rows = [{part: (form.get(f"{name}-{n}-{part}") or "")[:MAX_TEXT].strip() for part in BENEFICIARY_PARTS}
            for n in range(BENEFICIARY_ROWS)]
    return [row for row in rows if row["name"] or row["share"]]


def fresh_values(fields: Iterable[Field], beneficiaries_now: Iterable[Any], allocation_now: Mapping[str, int],
                 on_file: Mapping[str, str] | None = None) -> dict[str, str]:
    """A new form: a new idempotency key, and what is on file now for the editors (and the
    fields the kind fills from the record, ``on_file``) to start from."""
    values = {"idempotency_key": new_idempotency_key(), **(on_file or {})}
    for field in fields:
        if field.kind == "beneficiaries":
            values.update(beneficiary_values(field.name, beneficiaries_now))
        elif field.kind == "fund_allocation":
            values.update({f"{field.name}-{code}": str(percent) for code, percent in allocation_now.items()})
    return values


def resubmitted_values(form: Mapping[str, str]) -> dict[str, str]:
    """The form as sent, to show again with its error. Its idempotency key stays: the failed
    attempt was rolled back, so the corrected form is still the one request."""
    return {**dict(form.items()), "idempotency_key": form.get("idempotency_key") or new_idempotency_key()}


def per_fund(form: Mapping[str, str], name: str) -> dict[str, str]:
    """One input per fund, named "<field>-<fund code>"."""
    prefix = f"{name}-"
    return {key[len(prefix):][:8]: (form.get(key) or "")[:8].strip() for key in list(form)[:200]
            if key.startswith(prefix)}


def beneficiary_values(name: str, rows: Iterable[Any]) -> dict[str, str]:
    """Form values that pre-fill the editor with the current beneficiaries (no ID numbers)."""
    values = {}
    for n, row in enumerate(list(rows)[:BENEFICIARY_ROWS]):
        values.update({f"{name}-{n}-name": row.name, f"{name}-{n}-relationship": row.relationship,
                       f"{name}-{n}-rank": str(row.rank), f"{name}-{n}-share": row.share})
    return values
