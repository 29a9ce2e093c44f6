"""The servicing engine: the same steps for every transaction and every channel.

start  -> checks eligibility, conflicts and inputs, shows a preview, then asks for the
          step-up (awaiting_code) or goes straight on;
confirm-> checks the code (and the second code of a new contact), then routes to a queue
          (pending_review), holds a payout to a new payee (held, until hold_until) or applies;
          returns an outcome (``paas.servicing.confirmation``) every channel renders the same way;
decide -> a clerk or underwriter approves (applies) or rejects with a reason.
A request left waiting for its code ends (expired) after ``expiry.REQUEST_LIFETIME``: the
engine ends it when it next meets it, the nightly cycle ends the rest.
Applying re-checks everything under the policy's row lock, so what was previewed minutes
ago cannot overdraw a balance that changed since. A request already applied is returned
as it is: a replayed confirmation applies nothing twice."""
from __future__ import annotations

import json
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from paas.audit import chain
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.security import alerts, freeze, tiers
from paas.security.preferences import customer_locale
from paas.security.principal import Principal
from paas.servicing.base import NONE, TOTP, PolicyContext, Transaction
from paas.servicing.kinds.common import CLAIM_OPEN
from paas.servicing.context import context_for, load_context
from paas.servicing.models import ServiceRequest
from paas.servicing.queues import check_may_decide
from paas.servicing import expiry, payee_hold, payout, request_rows, step_up
from paas.servicing.confirmation import CONFIRMED, ENDED, EXPIRED, LOCKED, MESSAGES, Confirmation
from paas.servicing.registry import transaction

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

OPEN = request_rows.OPEN
# While a claim on the policy is being handled, only these kinds of change may go ahead:
# whatever moves money or alters cover or beneficiaries waits for the claim's decision.
CLAIM_ALLOWS = frozenset({"contact"})
NOT_AVAILABLE = N_("This service is not available for this policy now.")
CONFLICT = N_("Another change to this policy is still open (request %(reference)s). Finish or cancel it first.")
REQUEST_NOT_FOUND = N_("We could not find request %(reference)s.")
NOT_OPEN = N_("Request %(reference)s is no longer waiting for this.")


def start(uow: "UnitOfWork", who: Principal, policy_number: str, kind: str, raw: dict[str, Any], *,
          channel: str, idempotency_key: str) -> ServiceRequest:
    txn = transaction(kind)
    key = f"{who.account_id}:{(idempotency_key or '')[:60]}"
    if not idempotency_key:
        raise InvalidInput(N_("This form has expired. Please open it again."))
    # A payout's tier check reads the account, its checks the bank accounts: read with the policy.
    ctx = context_for(uow, who, policy_number, with_account=txn.pays_out, with_bank_accounts=txn.pays_out)
    # Asked under the policy's lock: a first copy of this form that was in flight has
    # committed by now (it held the lock), and is the answer - not a conflict with it.
    existing, open_requests = request_rows.same_form_or_open(uow, ctx.policy.id, key)
    if existing is not None:
        return existing  # the same form sent twice: the same request
    _check_available(txn, ctx)
    tiers.check_servicing(uow, who, txn, ctx.policy.policy_number)  # money to a bank account needs Transact
    _check_conflicts(uow, txn, ctx, open_requests)
    raw = {f.name: raw[f.name] for f in txn.fields if f.name in raw}  # only what the form asks for
    inputs = txn.check(uow, ctx, raw)
    preview = [line.as_json() for line in txn.preview(ctx, inputs)]
    now = uow.clock.now()
    method = TOTP if who.is_staff and txn.required_step_up(ctx, inputs) != NONE else txn.required_step_up(ctx, inputs)
    request = ServiceRequest(
        reference="SR" + secrets.token_hex(5).upper(), policy_id=ctx.policy.id, customer_id=ctx.customer.id,
        kind=kind, channel=channel, status="awaiting_code", inputs=_seal(uow, raw),
        preview=json.dumps(preview, ensure_ascii=False), conflict_groups=",".join(sorted(txn.groups)),
        submitted_by=who.account_id, on_behalf=who.is_staff, step_up=method, idempotency_key=key,
        created_at=now, updated_at=now, **request_rows.UNSET,
    )
    # The codes are set on the request before it is written, so it is inserted once with them;
    # their messages are queued after it, once it is known to be this form's one request.
    # Only a customer is sent a code (staff confirm with their authenticator).
    code = step_up.new_code(uow, request, txn.code_recipient(ctx, inputs)) if method not in (NONE, TOTP) else None
    contact = txn.new_contact(ctx, inputs) if method != NONE else None
    contact_code = step_up.new_contact_code(uow, request, contact) if contact is not None else None
    if not request_rows.insert_new(uow, request):  # the same form sent twice at once: the second finds the first
        return _by_key(uow, key)
    chain.record(uow, who.actor, "servicing.submitted", subject=f"request:{request.reference}",
                 detail={"kind": kind, "policy": ctx.policy.policy_number, "channel": channel, "on_behalf": who.is_staff})
    if method == NONE:
        _advance(uow, who, txn, ctx, request, inputs)
        return request
    locale = customer_locale(uow, ctx.customer.id, account_locale=ctx.account_locale)  # their messages' language
    if code is not None:
        step_up.queue_code(uow, request, code, txn.label, locale)
    if contact_code is not None:  # whoever confirms, the new contact proves itself too
        step_up.queue_contact_code(uow, request, contact[0], contact_code, locale)
    return request


def confirm(uow: "UnitOfWork", who: Principal, reference: str, code: str,
            contact_code: str | None = None) -> Confirmation:
    """Confirm a request with its code (and ``contact_code``, the second code sent to the new
    mobile or e-mail when the change brings one); the outcome says what came of it. A wrong
    code is counted, and a request that can no longer be confirmed ends, whatever the caller
    answers next: the engine commits that itself (an error answer would otherwise roll it back
    and let the code be guessed). Any channel - web, console, API, an SMS reply - only renders it."""
    request, account = _own_request_and_account(uow, who, reference)
    if expiry.is_stale(request, uow.clock.now()):
        expiry.expire(uow, request)
        return _kept(uow, Confirmation(request, EXPIRED))
    if request.status != "awaiting_code":
        # Already confirmed (a replay) or ended: nothing more to do.
        done = request.status in ("applied", "pending_review", "held")
        return Confirmation(request, CONFIRMED if done else ENDED)
    result = step_up.verify(uow, request, who, code, account=account)
    if result == CONFIRMED:
        result = step_up.verify_contact(uow, request, contact_code)
    if result == LOCKED:
        expiry.expire(uow, request)  # it can never be confirmed now: the policy is free again
    if result != CONFIRMED:
        return _kept(uow, Confirmation(request, result, step_up.attempts_left(request)))
    txn = transaction(request.kind)
    ctx = load_context(uow, request.policy_id, with_bank_accounts=txn.pays_out)
    _advance(uow, who, txn, ctx, request)
    return Confirmation(request, CONFIRMED)


def resend_code(uow: "UnitOfWork", who: Principal, reference: str) -> ServiceRequest:
    """A new code for a request waiting for one (the customer's own; staff use their authenticator)."""
    request = _own_request(uow, who, reference)
    if expiry.is_stale(request, uow.clock.now()):
        expiry.expire(uow, request)
        uow.commit()  # it has ended, whatever this answer is
        raise InvalidInput(MESSAGES[EXPIRED])
    if request.status != "awaiting_code" or request.step_up != "sms":
        raise InvalidInput(NOT_OPEN, reference=request.reference)
    step_up.resend_code(uow, request, transaction(request.kind).label, customer_locale(uow, request.customer_id))
    return request


def _kept(uow: "UnitOfWork", outcome: Confirmation) -> Confirmation:
    uow.commit()
    return outcome


def decide(uow: "UnitOfWork", staff: Principal, reference: str, *, approve: bool, note: str) -> ServiceRequest:
    request = _locked(uow, reference)
    check_may_decide(staff, request)
    if request.status != "pending_review":
        raise InvalidInput(NOT_OPEN, reference=request.reference)
    note = " ".join((note or "").split())[:300]
    request.decided_by, request.decision_note, request.updated_at = staff.account_id, note, uow.clock.now()
    if approve:
        txn, ctx = transaction(request.kind), load_context(uow, request.policy_id)
        _check_available(txn, ctx)
        _apply_or_hold(uow, staff, txn, ctx, request, txn.check(uow, ctx, _unseal(uow, request)))
    else:
        if len(note) < 5:
            raise InvalidInput(N_("Give the customer a reason for the decision."), field="note")
        request.status = "rejected"
    chain.record(uow, staff.actor, "servicing.decided", subject=f"request:{request.reference}",
                 detail={"approved": approve, "note": note})
    return request


def cancel(uow: "UnitOfWork", who: Principal, reference: str) -> ServiceRequest:
    request = _own_request(uow, who, reference)
    if expiry.is_stale(request, uow.clock.now()):
        expiry.expire(uow, request)
        return request
    if request.status not in OPEN:
        raise InvalidInput(NOT_OPEN, reference=request.reference)
    request.status, request.updated_at = "cancelled", uow.clock.now()
    chain.record(uow, who.actor, "servicing.cancelled", subject=f"request:{request.reference}")
    return request


def _advance(uow: "UnitOfWork", who: Principal, txn: Transaction, ctx: PolicyContext, request: ServiceRequest,
             checked: dict | None = None) -> None:
    """Route the request, or apply it. ``checked``: the inputs as checked a moment ago in this
    transaction, under the policy's lock (else they are checked now)."""
    if checked is None:
        _check_available(txn, ctx)
    inputs = checked if checked is not None else txn.check(uow, ctx, _unseal(uow, request))
    queue = txn.route(ctx, inputs)
    if queue is not None:
        request.status, request.review_queue, request.updated_at = "pending_review", queue, uow.clock.now()
        chain.record(uow, who.actor, "servicing.referred", subject=f"request:{request.reference}", detail={"queue": queue})
        return
    _apply_or_hold(uow, who, txn, ctx, request, inputs)


def _apply_or_hold(uow: "UnitOfWork", who, txn: Transaction, ctx: PolicyContext, request: ServiceRequest,
                   inputs: dict) -> None:
    """A payout to a bank account added lately and never verified waits (paas.servicing.payee_hold):
    nothing leaves the policy until then, and the customer is told and may cancel it."""
    until = payee_hold.hold_until(uow, txn, ctx, inputs)
    if until is None:
        _apply(uow, who, txn, ctx, request, inputs)
        return
    request.status, request.hold_until, request.updated_at = "held", until, uow.clock.now()
    chain.record(uow, who.actor, "servicing.held", subject=f"request:{request.reference}",
                 detail={"until": until.isoformat()})
    alerts.alert(uow, ctx.customer, alerts.PAYOUT_HELD, what=txn.label, policy=ctx.policy.policy_number,
                 account=payout.payee_text(uow, ctx, inputs.get("bank_account")),
                 until=until,  # written in the customer's language and business time
                 reference=request.reference, amount=_amount_asked(inputs))


def _amount_asked(inputs: dict):
    """The amount a payout request names (a loan, a withdrawal); None when it is worked out on applying."""
    try:  # checked inputs carry it as text ("1000.00")
        return Decimal(str(inputs["amount"])) if inputs.get("amount") not in (None, "") else None
    except (ArithmeticError, ValueError):
        return None


def release(uow: "UnitOfWork", request: ServiceRequest) -> None:
    """Apply a held request whose time has come (``payee_hold.release_due``), re-checked now."""
    txn = transaction(request.kind)
    _apply(uow, payee_hold.RELEASER, txn, load_context(uow, request.policy_id), request)


def _apply(uow: "UnitOfWork", who: Principal, txn: Transaction, ctx: PolicyContext, request: ServiceRequest,
           checked: dict | None = None) -> None:
    # Everything is checked against the policy as it is now, under its lock: it may have
    # lapsed, gained a claim or lost value since the request was made (``checked``: see _advance).
    if checked is None:
        _check_available(txn, ctx)
    inputs = checked if checked is not None else txn.check(uow, ctx, _unseal(uow, request))
    before = alerts.contacts_of(uow, ctx.customer, account_locale=ctx.account_locale)  # told on these, whatever the change makes them
    told = txn.security_alert(uow, ctx, inputs)  # before applying: an account removed or added changes the list
    outcome = txn.apply(uow, ctx, inputs, request.reference)
    if told is not None:
        alerts.alert(uow, ctx.customer, told[0], contacts=before, **told[1])
    request_rows.mark_applied_and_raise(uow, request, ctx.policy, json.dumps(outcome, ensure_ascii=False, default=str),
                                        uow.clock.now(), "endorsement", ctx.today,
                                        {"kind": request.kind, "reference": request.reference, "outcome": outcome})
    chain.record(uow, who.actor, "servicing.applied", subject=f"request:{request.reference}",
                 detail={"kind": request.kind, "policy": ctx.policy.policy_number})


def why_not(txn: Transaction, ctx: PolicyContext) -> tuple[str, dict] | None:
    """Why ``txn`` cannot be done on the policy now (message id and its parameters), or None.
    The services page and the engine ask this same question."""
    reason = txn.eligibility(ctx)
    if reason is not None:
        return reason, txn.reason_params(ctx)
    if ctx.open_claim and txn.groups - CLAIM_ALLOWS:
        return CLAIM_OPEN, {}
    if (txn.pays_out or txn.changes_payee) and freeze.is_frozen(ctx.customer):
        return freeze.FROZEN, {}
    return None


def _check_available(txn: Transaction, ctx: PolicyContext) -> None:
    refused = why_not(txn, ctx)
    if refused is not None:
        raise NotPermitted(refused[0], **refused[1])


def _check_conflicts(uow: "UnitOfWork", txn: Transaction, ctx: PolicyContext,
                     rows: list[ServiceRequest] | None = None) -> None:
    """Refuse while another open request would change the same things; one that waited too
    long for its code does not count, and is ended here (the policy is locked). ``rows``: the
    policy's open requests, if the caller read them already."""
    now = uow.clock.now()
    if rows is None:
        rows = uow.session.scalars(
            select(ServiceRequest).where(ServiceRequest.policy_id == ctx.policy.id, ServiceRequest.status.in_(OPEN))
        ).all()
    for request in rows:
        if expiry.is_stale(request, now):
            expiry.expire(uow, request)
        elif txn.groups & set(request.conflict_groups.split(",")):
            raise InvalidInput(CONFLICT, reference=request.reference)


def _by_key(uow: "UnitOfWork", key: str) -> ServiceRequest | None:
    return request_rows.by_key(uow, key)


def _locked(uow: "UnitOfWork", reference: str) -> ServiceRequest:
    request = request_rows.locked_by_reference(uow, (reference or "")[:16])
    if request is None:
        raise NotFound(REQUEST_NOT_FOUND, reference=(reference or "")[:16])
    return request


def _own_request_and_account(uow: "UnitOfWork", who: Principal, reference: str):
    """``_own_request``, and for a policyholder their sign-in account locked in the same read
    (the step-up may check their authenticator); (request, None) otherwise."""
    if who.is_policyholder:
        found = request_rows.locked_with_account(uow, (reference or "")[:16], who.account_id)
        if found is not None:
            return _owned(who, found[0]), found[1]
    return _own_request(uow, who, reference), None


def _own_request(uow: "UnitOfWork", who: Principal, reference: str) -> ServiceRequest:
    return _owned(who, _locked(uow, reference))


def _owned(who: Principal, request: ServiceRequest) -> ServiceRequest:
    if who.is_staff:
        if request.submitted_by != who.account_id:
            raise NotFound(REQUEST_NOT_FOUND, reference=request.reference)
    elif request.customer_id != who.customer_id:
        raise NotFound(REQUEST_NOT_FOUND, reference=request.reference)
    return request


# What the person typed may hold ID and bank account numbers: it is kept encrypted (the
# key rotation's re-encryption knows this context too).
_INPUTS_CONTEXT = "servicing.inputs"


def _seal(uow: "UnitOfWork", raw: dict[str, Any]) -> str:
    return uow.keyring.encrypt(json.dumps(raw, ensure_ascii=False, default=str), context=_INPUTS_CONTEXT)


def _unseal(uow: "UnitOfWork", request: ServiceRequest) -> dict[str, Any]:
    return json.loads(uow.keyring.decrypt(request.inputs, context=_INPUTS_CONTEXT))
