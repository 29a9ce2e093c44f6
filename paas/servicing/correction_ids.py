"""The two ID numbers of a name/ID correction, for the team that decides it: the one on file
and the corrected one, masked, each revealed to compare with the uploaded document only with
a reason, and audited like any reveal of personal data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.identity import normalise_resident_id
from paas.customers.masking import mask_id_number
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.customers.reveal import checked_reason
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.security.principal import Principal
from paas.servicing.engine import REQUEST_NOT_FOUND, _unseal
from paas.servicing.evidence import NOT_YOUR_DOCUMENTS, may_see_documents
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

KIND = "name_id_correction"
ON_FILE, CORRECTED = "on_file", "corrected"
LABELS = {ON_FILE: N_("ID number on file"), CORRECTED: N_("Corrected ID number")}


@dataclass(frozen=True)
class IdLine:
    which: str  # ON_FILE or CORRECTED
    label: str  # message id
    masked: str
    revealable: bool


def _values(uow: "UnitOfWork", request: ServiceRequest) -> dict[str, str]:
    """The numbers still known: once applied, the corrected one is the one on file and the
    old one is gone, so only the corrected one is offered."""
    typed = str(_unseal(uow, request).get("id_number") or "").strip()
    if not typed:
        return {}
    values = {CORRECTED: normalise_resident_id(typed)}
    if request.status != "applied":
        customer = uow.session.get(Customer, request.customer_id)
        values = {ON_FILE: uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT), **values}
    return values


def _request(uow: "UnitOfWork", reference: str) -> ServiceRequest | None:
    return uow.session.scalar(select(ServiceRequest).where(ServiceRequest.reference == (reference or "")[:16]))


def correction_id_lines(uow: "UnitOfWork", staff: Principal, reference: str) -> list[IdLine]:
    """Nothing for other kinds, for a correction of the name only, or for other teams."""
    request = _request(uow, reference)
    if request is None or request.kind != KIND or not may_see_documents(staff, request):
        return []
    return [IdLine(which, LABELS[which], mask_id_number(value), True) for which, value in _values(uow, request).items()]


def reveal_correction_id(uow: "UnitOfWork", staff: Principal, reference: str, which: str, reason: str,
                         *, address: str | None = None) -> str:
    request = _request(uow, reference)
    if request is None or request.kind != KIND:
        raise NotFound(REQUEST_NOT_FOUND, reference=(reference or "")[:16])
    if not may_see_documents(staff, request):
        raise NotPermitted(NOT_YOUR_DOCUMENTS)
    values = _values(uow, request)
    if which not in values:
        raise InvalidInput(N_("This field cannot be revealed."), field="which")
    reason = checked_reason(uow, reason)
    chain.record(uow, staff.actor, "pii.revealed", subject=f"request:{request.reference}",
                 detail={"field": f"id_number.{which}", "reason": reason}, address=address)
    return values[which]
