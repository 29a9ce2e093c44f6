"""Applying online: start a draft for a product, save it as often as wanted, resume it, and
submit it, which runs the rules at once. Only the account that started an application ever
finds it; anyone else is told it does not exist."""
from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT, NewCustomer, customer_with_id_number, register_customer
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.products import catalogue
from paas.products.quotes import Quote, QuoteRequest, quote
from paas.security.principal import Principal
from paas.underwriting import rulebook
from paas.underwriting.cover import cover_with_us
from paas.underwriting.entry import CheckedEntry, check_entry, draft_values
from paas.underwriting.evaluator import ACCEPT, DECLINE, Verdict, evaluate
from paas.underwriting.facts import Facts
from paas.underwriting.models import Application
from paas.underwriting.states import ACCEPTED, DECLINED, DRAFT, REFERRED, STANDARD, WITHDRAWN

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NOT_FOUND = N_("We could not find application %(reference)s.")
CUSTOMERS_ONLY = N_("Applying online needs a customer account.")
NOT_A_DRAFT = N_("Application %(reference)s has been submitted; it can no longer be changed.")


@dataclass(frozen=True)
class Draft:
    application: Application
    values: dict[str, str]
    quote: Quote | None
    quote_error: InvalidInput | None


def _customer_of(who: Principal) -> int:
    if not who.is_policyholder:
        raise NotPermitted(CUSTOMERS_ONLY)
    return who.customer_id  # type: ignore[return-value]


def mine(uow: "UnitOfWork", who: Principal, reference: str, *, lock: bool = False) -> Application:
    """The caller's application, or NotFound — another person's looks exactly like none."""
    reference = (reference or "")[:16]
    if who.is_staff:
        raise NotPermitted(CUSTOMERS_ONLY)
    query = select(Application).where(Application.reference == reference, Application.account_id == who.account_id)
    application = uow.session.scalar(query.with_for_update() if lock else query)
    if application is None:
        raise NotFound(NOT_FOUND, reference=reference)
    return application


def my_applications(uow: "UnitOfWork", who: Principal) -> list[Application]:
    if who.is_staff:
        raise NotPermitted(CUSTOMERS_ONLY)
    return list(uow.session.scalars(select(Application).where(Application.account_id == who.account_id)
                                    .order_by(Application.id.desc())))


def details(application: Application) -> dict[str, Any]:
    return json.loads(application.details or "{}")


def start(uow: "UnitOfWork", who: Principal, product_code: str) -> Application:
    owner_id = _customer_of(who)
    spec = catalogue.product(product_code)
    now = uow.clock.now()
    application = Application(
        reference="NB" + secrets.token_hex(5).upper(), account_id=who.account_id, owner_id=owner_id, status=DRAFT,
        product_code=spec.code, product_version=spec.version, details=json.dumps({"insured": "self"}),
        created_at=now, updated_at=now)
    uow.session.add(application)
    uow.session.flush()
    chain.record(uow, who.actor, "application.started", subject=f"application:{application.reference}")
    return application


def draft(uow: "UnitOfWork", who: Principal, reference: str) -> Draft:
    application = mine(uow, who, reference)
    values = details(application)
    return Draft(application, values, *_quote(uow, application, values))


def save(uow: "UnitOfWork", who: Principal, reference: str, raw: Mapping[str, Any]) -> Draft:
    application = mine(uow, who, reference, lock=True)
    if application.status != DRAFT:
        raise InvalidInput(NOT_A_DRAFT, reference=application.reference)
    values = draft_values(raw, rulebook.current(), application.product_code)
    application.details = json.dumps(values, ensure_ascii=False, sort_keys=True)
    found, error = _quote(uow, application, values)
    _keep_terms(application, values, found)
    application.updated_at = uow.clock.now()
    application.version += 1
    return Draft(application, values, found, error)


def withdraw(uow: "UnitOfWork", who: Principal, reference: str) -> Application:
    application = mine(uow, who, reference, lock=True)
    if application.status not in (DRAFT, REFERRED, "awaiting_evidence", "offered", ACCEPTED):
        raise InvalidInput(NOT_A_DRAFT, reference=application.reference)
    application.status, application.updated_at = WITHDRAWN, uow.clock.now()
    chain.record(uow, who.actor, "application.withdrawn", subject=f"application:{application.reference}")
    return application


def _insured_age_sex(uow: "UnitOfWork", application: Application, values: Mapping[str, str]) -> tuple[str, str, str]:
    """Age (as text, or birth date) and sex of the insured for the quote."""
    if values.get("insured", "self") == "self":
        owner = uow.session.get(Customer, application.owner_id)
        return "", owner.birth_date.isoformat(), owner.gender
    return "", values.get("insured_birth_date", ""), values.get("insured_gender", "")


def _quote(uow: "UnitOfWork", application: Application, values: Mapping[str, str]) -> tuple[Quote | None, InvalidInput | None]:
    """The live quote on the terms typed so far; the first fault, if they do not price yet."""
    if not values.get("sum_assured"):
        return None, None
    _, born, sex = _insured_age_sex(uow, application, values)
    try:
        birth = date.fromisoformat(born)
    except ValueError:
        return None, InvalidInput(N_("Give the insured's date of birth as YYYY-MM-DD."), field="insured_birth_date")
    request = QuoteRequest(product=application.product_code, sex=sex, sum_assured=values.get("sum_assured", ""),
                           mode=values.get("mode", ""), term=values.get("term") or None,
                           premium_term=values.get("premium_term") or None, birth_date=birth)
    try:
        return quote(request, uow.clock.today()), None
    except InvalidInput as error:
        return None, error


def _keep_terms(application: Application, values: Mapping[str, str], found: Quote | None) -> None:
    if found is None:
        application.sum_assured = application.modal_premium = None
        return
    application.sum_assured, application.modal_premium = found.cover.sum_assured, found.premium.modal
    application.term_years, application.premium_mode = found.cover.term, found.cover.mode
    application.premium_term = values.get("premium_term") or None


def submit(uow: "UnitOfWork", who: Principal, reference: str, raw: Mapping[str, Any]) -> Application:
    """Check everything, create the insured's customer record if it is a family member, run the
    rules and act on their outcome: accepted (the first premium is next), referred, declined."""
    saved = save(uow, who, reference, raw)
    application = saved.application
    if saved.quote is None:
        raise saved.quote_error or InvalidInput(N_("Give the sum assured."), field="sum_assured")
    owner = uow.session.get(Customer, application.owner_id)
    entry = check_entry(saved.values, rulebook.current(), application.product_code, owner, len(owner.bank_accounts),
                        uow.clock.today())
    application.insured_id = owner.id if entry.insured.is_owner else _family_member(uow, entry).id
    verdict = judge(uow, application, entry)
    checked = {**checked_summary(entry), "premium_years": saved.quote.cover.premium_years}
    application.details = json.dumps({**saved.values, "checked": checked}, ensure_ascii=False,
                                     sort_keys=True)
    now = uow.clock.now()
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    _act_on(application, verdict, now)
    application.version += 1
    chain.record(uow, who.actor, "application.submitted", subject=f"application:{application.reference}",
                 detail={"outcome": verdict.outcome, "rules": list(verdict.codes), "rulebook": verdict.rulebook})
    return application


def checked_summary(entry: CheckedEntry) -> dict[str, Any]:
    """What the desk shows and the policy is issued with, as checked (no ID number: it is on the customer)."""
    return {"age": entry.age, "sex": entry.insured.gender, "insured_name": entry.insured.name, "relationship": entry.insured.relationship,
            "height_cm": entry.height_cm, "weight_kg": str(entry.weight_kg), "occupation_class": entry.occupation_class,
            "income": str(entry.income), "cover_elsewhere": str(entry.cover_elsewhere), "answers": entry.answers,
            "beneficiaries": [[name, relation, str(share)] for name, relation, share in entry.beneficiaries],
            "payment_method": entry.payment_method, "bank_account": entry.bank_account}


def facts_of(uow: "UnitOfWork", application: Application, entry: CheckedEntry) -> Facts:
    return Facts(product=application.product_code, age=entry.age, height_cm=entry.height_cm, weight_kg=entry.weight_kg,
                 occupation_class=entry.occupation_class, sum_assured=application.sum_assured or Decimal(0),
                 income=entry.income, cover_with_us=cover_with_us(uow, application.insured_id,
                                                                  excluding_application=application.id),
                 cover_elsewhere=entry.cover_elsewhere, answers=entry.answers)


def judge(uow: "UnitOfWork", application: Application, entry: CheckedEntry) -> Verdict:
    verdict = evaluate(facts_of(uow, application, entry))
    application.rulebook_version, application.rule_outcome = verdict.rulebook, verdict.outcome
    application.findings = json.dumps([{"code": f.code, "outcome": f.outcome, "params": f.params} for f in verdict.findings],
                                      ensure_ascii=False)
    return verdict


def _act_on(application: Application, verdict: Verdict, now) -> None:
    if verdict.outcome == ACCEPT:
        application.status, application.decision, application.decided_at = ACCEPTED, STANDARD, now
    elif verdict.outcome == DECLINE:
        declining = next(f for f in verdict.findings if f.outcome == DECLINE)
        application.status, application.decision, application.decided_at = DECLINED, "decline", now
        application.told_reason = json.dumps({"zh": declining.told("zh"), "en": declining.told("en")}, ensure_ascii=False)
    else:
        application.status = REFERRED


def _family_member(uow: "UnitOfWork", entry: CheckedEntry) -> Customer:
    """The insured's customer record: the one we know by this ID number, or a new one."""
    insured = entry.insured
    index = uow.keyring.blind_index(insured.id_number, context=ID_NUMBER_CONTEXT)
    known = customer_with_id_number(uow, index)  # under the number's lock: one record however many apply at once
    if known is not None:
        return uow.session.get(Customer, known)
    return register_customer(uow, NewCustomer(insured.name, insured.gender, insured.birth_date, insured.id_number))
