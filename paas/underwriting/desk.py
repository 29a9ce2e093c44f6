"""The underwriters' desk in the console: the referred queue (oldest first by first submission,
so a case back with its evidence keeps its place), and one case in full — the answers, every
rule that fired and why, the insured's cover with us and elsewhere, the evidence, the steps so
far and where authority stands. Opening a case shows health data, so it is audited."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.desk import authority, four_eyes
from paas.desk.teams import UNDERWRITERS, require_team
from paas.documents.models import Document
from paas.policies.models import Policy
from paas.policies.terms import COVER_STATUSES
from paas.products import catalogue
from paas.products.models import Product
from paas.security.models import Account
from paas.security.principal import Principal
from paas.underwriting import rulebook
from paas.underwriting.applications import details
from paas.underwriting.cover import cover_with_us
from paas.underwriting.decisions import UNDERWRITERS_ONLY, load, pending_step
from paas.underwriting.evaluator import Finding
from paas.underwriting.models import Application, EvidenceRequest
from paas.underwriting.states import AWAITING_SECOND, IN_QUEUE, REFERRED

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class QueueLine:
    reference: str
    product: str
    applicant: str
    sum_assured: Decimal
    codes: tuple[str, ...]
    status: str
    waiting: timedelta


@dataclass(frozen=True)
class CoverLine:
    policy_number: str
    product: str
    status: str
    sum_assured: Decimal


@dataclass(frozen=True)
class StepLine:
    underwriter: str
    level: int
    decision: str
    extra_pct: Decimal | None
    exclusion: str | None
    note: str | None
    awaiting_second: bool
    at: datetime


@dataclass(frozen=True)
class Case:
    application: Application
    details: dict
    owner: Customer
    insured: Customer
    findings: tuple[Finding, ...]
    cover: tuple[CoverLine, ...]
    cover_with_us: Decimal
    evidence: tuple[EvidenceRequest, ...]
    documents: dict[str, Document]
    steps: tuple[StepLine, ...]
    my_limit: Decimal
    may_decide: bool
    may_agree: bool
    second_level: int | None


def queue(uow: "UnitOfWork", staff: Principal) -> list[QueueLine]:
    require_team(staff, UNDERWRITERS, UNDERWRITERS_ONLY)
    now = uow.clock.now()
    rows = uow.session.execute(
        select(Application, Customer.name).join(Customer, Customer.id == Application.owner_id)
        .where(Application.status.in_(IN_QUEUE)).order_by(Application.first_submitted_at, Application.id)).all()
    return [QueueLine(a.reference, a.product_code, name, a.sum_assured, tuple(f["code"] for f in json.loads(a.findings)),
                      a.status, now - a.first_submitted_at) for a, name in rows]


def findings_of(application: Application) -> tuple[Finding, ...]:
    if not application.rulebook_version:
        return ()
    book = rulebook.version(application.rulebook_version)
    rules = _rules_by_code(book)
    return tuple(Finding(rules[f["code"]], f["params"]) for f in json.loads(application.findings) if f["code"] in rules)


def _rules_by_code(book) -> dict:
    rules = {book.issue_age.code: book.issue_age, book.non_medical_rule.code: book.non_medical_rule,
             book.income_rule.code: book.income_rule, book.aggregate.code: book.aggregate}
    rules.update({band.rule.code: band.rule for band in book.bmi})
    rules.update({q.rule.code: q.rule for q in book.health})
    rules.update({o.rule.code: o.rule for o in book.occupations.values() if o.rule})
    return rules


def case(uow: "UnitOfWork", staff: Principal, reference: str) -> Case:
    application = load(uow, staff, reference, lock=False)
    chain.record(uow, staff.actor, "application.viewed", subject=f"application:{application.reference}")
    data = details(application)
    owner = uow.session.get(Customer, application.owner_id)
    insured = uow.session.get(Customer, application.insured_id) if application.insured_id else owner
    policies = uow.session.execute(
        select(Policy.policy_number, Product.code, Policy.status, Policy.sum_assured).join(Product)
        .where(Policy.insured_id == insured.id, Policy.status.in_(COVER_STATUSES)).order_by(Policy.id)).all()
    refs = [e.document_reference for e in application.evidence if e.document_reference]
    documents = {d.reference: d for d in uow.session.scalars(select(Document).where(Document.reference.in_(refs)))} \
        if refs else {}
    names = dict(uow.session.execute(select(Account.id, Account.display_name).where(
        Account.id.in_([s.underwriter_id for s in application.steps] or [0]))).all())
    steps = tuple(StepLine(names.get(s.underwriter_id, "?"), s.authority_level, s.decision, s.extra_premium_pct,
                           s.exclusion, s.note, s.awaiting_second, s.created_at) for s in application.steps)
    pending = pending_step(application)
    waiting_second = application.status == AWAITING_SECOND and pending is not None
    second = authority.second_level(UNDERWRITERS, pending.authority_level, application.sum_assured) \
        if waiting_second else None
    may_agree = waiting_second and four_eyes.may_second(staff, UNDERWRITERS, pending.underwriter_id,
                                                        pending.authority_level, application.sum_assured)
    return Case(application, data, owner, insured, findings_of(application),
                tuple(CoverLine(*row) for row in policies),
                cover_with_us(uow, insured.id, excluding_application=application.id), tuple(application.evidence),
                documents, steps, authority.limit_of(staff, UNDERWRITERS),
                may_decide=application.status in (REFERRED, AWAITING_SECOND) and not (waiting_second and not may_agree
                                                                                    and pending.underwriter_id == staff.account_id),
                may_agree=may_agree, second_level=second)


def product_name(code: str, version: int, locale: str) -> str:
    return catalogue.product(code, version).name(locale)
