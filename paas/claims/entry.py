"""What a claimant types to report a claim, read the same way for the web form and the API:
all text, checked here and by ``reporting.report`` so both channels give the same messages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from paas.claims.models import Claim
from paas.claims.reporting import report
from paas.errors import N_, InvalidInput
from paas.security.principal import Principal
from paas.field_checks import FieldChecks

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NEW_ACCOUNT = "new"  # the payee choice meaning "an account not on file yet"
_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INCIDENT_DATE = N_("Enter the date it happened as a real date, YYYY-MM-DD.")


@dataclass(frozen=True)
class ClaimEntry:
    policy_number: str = ""
    kind: str = ""
    incident_date: str = ""
    facts: str = ""
    claimant_name: str = ""
    bank_account: str = ""  # the position of an account on file (from 1), or NEW_ACCOUNT
    new_bank_name: str = ""
    new_account_number: str = ""


def parse_incident_date(text: str) -> date:
    cleaned = (text or "").strip()
    try:
        return date.fromisoformat(cleaned) if _DATE_TEXT.match(cleaned) else _refuse()
    except ValueError:
        return _refuse()


def _refuse() -> date:
    raise InvalidInput(INCIDENT_DATE, field="incident_date")


def report_entry(uow: "UnitOfWork", who: Principal, entry: ClaimEntry) -> Claim:
    checks = FieldChecks()  # the date as typed here, the rest in ``report``: every fault at once
    new_account = (entry.new_bank_name, entry.new_account_number) if entry.bank_account == NEW_ACCOUNT else None
    return report(uow, who, entry.policy_number, kind=entry.kind, incident_date=checks(parse_incident_date, entry.incident_date),
                  facts=entry.facts, claimant_name=entry.claimant_name,
                  bank_account=None if new_account else (entry.bank_account or None), new_bank_account=new_account,
                  checks=checks)
