"""Beneficiary change: who receives the death benefit and in what shares. Within each rank
the shares add up to exactly 100%; a rank only receives if nobody of the rank before does."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.customers.identity import normalise_resident_id
from paas.errors import N_, InvalidInput
from paas.policies.models import BENEFICIARY_ID_CONTEXT, Beneficiary
from paas.policies.terms import RELATIONSHIP_LABELS
from paas.security import alerts
from paas.servicing.base import SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import in_force_reason, status_params

MAX_BENEFICIARIES = 5
_SHARE_TEXT = re.compile(r"^\d{1,3}(\.\d{1,2})?$")
SHARES_TOTAL = N_("The shares of rank %(rank)s add up to %(total)s%%; they must add up to exactly 100%%.")
SHARE_FORMAT = N_("A share is a percentage above 0 and up to 100, with at most two decimals.")
NAME_NEEDED = N_("Give each beneficiary's full name.")
RELATIONSHIP = N_("Choose each beneficiary's relationship to the insured.")
RANK = N_("The order is 1 (first in line) or 2 (if nobody of order 1 survives).")
EDITOR = "beneficiaries"  # the rows are one field on the form: every row's fault is said there
HOW_MANY = N_("Name between 1 and %(max)s beneficiaries.")


@dataclass(frozen=True)
class BeneficiaryChange(Transaction):
    kind: str = "beneficiaries"
    label: str = N_("Change beneficiaries")
    description: str = N_("Name who receives the benefit if the insured dies, and their shares.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"beneficiaries"}))
    fields: tuple[Field, ...] = (Field("beneficiaries", N_("Beneficiaries"), kind="beneficiaries"),)
    step_up: str = SMS

    def eligibility(self, ctx: PolicyContext) -> str | None:
        return in_force_reason(ctx)

    reason_params = staticmethod(status_params)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        people = raw.get("beneficiaries")
        if not isinstance(people, list) or not 1 <= len(people) <= MAX_BENEFICIARIES:
            raise InvalidInput(HOW_MANY, field="beneficiaries", max=MAX_BENEFICIARIES)
        # Every row's every fault at once (the page shows them together at the editor); the
        # shares are added up only once each row reads right.
        checks = FieldChecks()
        checked = [_one(person, checks) for person in people]
        checks.done()
        for rank in sorted({p["rank"] for p in checked}):
            total = sum(Decimal(p["share"]) for p in checked if p["rank"] == rank)
            if total != 100:
                checks.refuse(SHARES_TOTAL, EDITOR, rank=rank, total=f"{total:f}")
        if 2 in {p["rank"] for p in checked} and 1 not in {p["rank"] for p in checked}:
            checks.refuse(RANK, EDITOR)
        checks.done()
        return {"beneficiaries": checked}

    def security_alert(self, uow, ctx: PolicyContext, inputs: dict):
        return alerts.PAYEE_CHANGED, {"what": self.label, "policy": ctx.policy.policy_number}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        before = "; ".join(f"{b.name} {b.share:f}%" for b in ctx.policy.beneficiaries) or None
        after = "; ".join(f"{p['name']} {p['share']}%" for p in inputs["beneficiaries"])
        return [PreviewLine(N_("Beneficiaries"), before, after)]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.policy.beneficiaries.clear()
        uow.session.flush()
        for person in inputs["beneficiaries"]:
            cipher = uow.keyring.encrypt(person["id_number"], context=BENEFICIARY_ID_CONTEXT) if person["id_number"] else None
            ctx.policy.beneficiaries.append(Beneficiary(
                name=person["name"], relationship_to_insured=person["relationship"], id_number_cipher=cipher,
                rank=person["rank"], share=Decimal(person["share"]),
            ))
        return {"beneficiaries": len(inputs["beneficiaries"])}


def _one(person: Any, checks: FieldChecks) -> dict:
    if not isinstance(person, dict):
        checks.refuse(NAME_NEEDED, EDITOR)
        return {}
    name = " ".join(str(person.get("name", "")).split())
    if not 2 <= len(name) <= 60:
        checks.refuse(NAME_NEEDED, EDITOR)
    relationship = str(person.get("relationship", ""))
    if relationship not in RELATIONSHIP_LABELS or relationship == "self":
        checks.refuse(RELATIONSHIP, EDITOR)
    rank = str(person.get("rank", "1"))
    if rank not in ("1", "2"):
        checks.refuse(RANK, EDITOR)
    share = checks(_share, person.get("share"))
    id_number = checks(_id_number, str(person.get("id_number") or "").strip())
    return {"name": name, "relationship": relationship, "rank": int(rank) if rank in ("1", "2") else 0,
            "share": f"{share:f}" if share is not None else "", "id_number": id_number}


def _id_number(text: str) -> str:
    try:
        return normalise_resident_id(text) if text else ""
    except InvalidInput as error:  # the form has no field of that name: the editor is the field
        raise InvalidInput(error.message, field="beneficiaries", **error.params) from error


def _share(value: Any) -> Decimal:
    text = str(value).strip().rstrip("%").strip()
    if not _SHARE_TEXT.match(text):
        raise InvalidInput(SHARE_FORMAT, field="beneficiaries")
    share = Decimal(text)
    if share <= 0 or share > 100:
        raise InvalidInput(SHARE_FORMAT, field="beneficiaries")
    return share.quantize(Decimal("0.01"))
