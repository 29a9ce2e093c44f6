"""The new-payee hold: money paid to a bank account added less than
``SecurityPolicy.new_payee_hold`` ago, and never verified, waits. The request is kept as
"held" with the time it goes (when the account stops being new); nothing leaves the policy
until then, so cancelling it leaves the money where it came from, and the request's conflict
group keeps that money from being taken twice meanwhile. The customer sees it and may cancel;
clerks see the list; ``release_due`` (``portal servicing release-held``, run by the scheduler)
applies those whose time has come, re-checked as any request is.

Verified accounts (at the counter, by the bank-card check, or on file before the hold was
introduced) are paid at once. The account premiums are collected from counts only once it is
no longer new itself: a payment-method change is exactly how a new account would be slipped in."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.errors import N_, DomainError, InvalidInput, NotFound, NotPermitted
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.base import PolicyContext, Transaction
from paas.servicing.models import ServiceRequest

HOLD_DESK_ROLES = (CLERK, SUPERVISOR)  # who sees the held payouts and may stop one

if TYPE_CHECKING:
    from paas.customers.models import BankAccount
    from paas.servicing.history import RequestLine
    from paas.unit_of_work import UnitOfWork

HELD = "held"
NOT_HELD = N_("Request %(reference)s is not a held payout.")
CANCEL_NOTE = N_("Say why the held payout is cancelled (for example: the customer called), at least 5 characters.")
ONLY_CLERKS = N_("Only servicing clerks cancel a held payout for a customer.")


@dataclass(frozen=True)
class _Releaser:
    """Who a release is written by in the audit log: the hold's own schedule, not a person."""

    actor: Actor = Actor("system", None, "payee-hold")


RELEASER = _Releaser()


def hold_until(uow: "UnitOfWork", txn: Transaction, ctx: PolicyContext, inputs: dict) -> datetime | None:
    """When a payout of ``txn`` to the account in ``inputs`` may go, if that is later than now."""
    position = inputs.get("bank_account")
    if not txn.pays_out or not position:
        return None
    return account_hold_until(uow, ctx.customer.bank_accounts[position - 1])


def account_hold_until(uow: "UnitOfWork", account: "BankAccount") -> datetime | None:
    """The one rule, for every payout (servicing and claims): until when money paid to
    ``account`` waits, if it is new and never verified; None if it may go now."""
    if account.verified_at is not None:
        return None
    until = account.created_at + uow.platform.security.new_payee_hold
    return until if until > uow.clock.now() else None


def held_requests(uow: "UnitOfWork", *, customer_id: int | None = None, limit: int = 200) -> list["RequestLine"]:
    """Held payouts, the soonest to go first: one customer's (their page) or all (the console)."""
    from paas.servicing.history import request_line, with_policy_number  # history reads the engine, which reads this

    query = with_policy_number().where(ServiceRequest.status == HELD)
    if customer_id is not None:
        query = query.where(ServiceRequest.customer_id == customer_id)
    rows = uow.session.execute(query.order_by(ServiceRequest.hold_until, ServiceRequest.id).limit(limit)).all()
    return [request_line(request, number) for request, number in rows]


def cancel_by_clerk(uow: "UnitOfWork", staff: Principal, reference: str, note: str) -> ServiceRequest:
    """A clerk stops a held payout (the customer called to say it was not them)."""
    if staff.role not in HOLD_DESK_ROLES:
        raise NotPermitted(ONLY_CLERKS)
    note = " ".join((note or "").split())[:300]
    if len(note) < 5:
        raise InvalidInput(CANCEL_NOTE, field="note")
    request = uow.session.execute(
        select(ServiceRequest).where(ServiceRequest.reference == (reference or "")[:16]).with_for_update()
    ).scalar_one_or_none()
    if request is None or request.status != HELD:
        raise NotFound(NOT_HELD, reference=(reference or "")[:16])
    request.status, request.decided_by, request.decision_note = "cancelled", staff.account_id, note
    request.updated_at = uow.clock.now()
    chain.record(uow, staff.actor, "servicing.hold_cancelled", subject=f"request:{request.reference}",
                 detail={"note": note})
    return request


def release_due(platform) -> dict[str, int]:
    """Apply each held request whose time has come, one transaction each: one that no longer
    fits (the value fell, the policy ended) is declined with the reason; one of a customer who
    froze money movements since stays held."""
    from paas.servicing import engine

    counts = {"released": 0, "declined": 0, "still_held": 0}
    with platform.unit_of_work() as uow:
        due = uow.session.scalars(select(ServiceRequest.reference).where(
            ServiceRequest.status == HELD, ServiceRequest.hold_until <= uow.clock.now())).all()
    for reference in due:
        with platform.unit_of_work() as uow:
            request = uow.session.execute(
                select(ServiceRequest).where(ServiceRequest.reference == reference).with_for_update()).scalar_one()
            if request.status != HELD:
                continue  # cancelled meanwhile
            try:
                with uow.savepoint():
                    engine.release(uow, request)
                counts["released"] += 1
            except NotPermitted as refused:
                if refused.message == _frozen_reason():
                    counts["still_held"] += 1
                    continue
                _decline(uow, request, refused)
                counts["declined"] += 1
            except DomainError as refused:
                _decline(uow, request, refused)
                counts["declined"] += 1
            uow.commit()
    return counts


def _frozen_reason() -> str:
    from paas.security.freeze import FROZEN

    return FROZEN


def _decline(uow: "UnitOfWork", request: ServiceRequest, refused: DomainError) -> None:
    """The request ends with the reason, in the customer's language (their request page shows it)."""
    from paas.customers.models import Customer
    from paas.i18n import translate
    from paas.security.alerts import contacts_of

    locale = contacts_of(uow, uow.session.get(Customer, request.customer_id)).locale
    why = translate(locale, refused.message, **refused.params)
    request.status, request.decision_note, request.updated_at = "rejected", why[:300], uow.clock.now()
    chain.record(uow, RELEASER.actor, "servicing.hold_declined", subject=f"request:{request.reference}",
                 detail={"reason": why[:300]})
    request.outcome = json.dumps({"declined": why[:300]}, ensure_ascii=False)
