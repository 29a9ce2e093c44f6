"""Loading the demo cast. Idempotent: whatever already exists is left exactly as it is."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from paas.assets.entry import AccountEntry
from paas.assets.external import add_account
from paas.audit import chain
from paas.audit.chain import SYSTEM
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT, NewCustomer, add_bank_account, register_customer
from paas.numbering import POLICY_NUMBER, allocate
from paas.platform import Platform
from paas.notices.events import raise_event
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from paas.policies.schedule import add_months, due_dates
from paas.products import catalogue
from paas.products.eligibility import age_last_birthday, resolve_cover
from paas.products.pricing import premium_for
from paas.products.catalogue import sync_catalogue
from paas.security.accounts import create_policyholder_account, create_staff, staff_totp_secret
from paas.security.models import Account
from paas.security.sessions import principal_of
from paas.unit_of_work import UnitOfWork
from portal.demo.applications import seed_applications
from portal.demo.history import replay_history
from portal.demo.people import (BANK_ACCOUNTS, EXTERNAL_ACCOUNTS, DEMO_PASSWORD, PEOPLE, POLICIES, STAFF,
                                WITHOUT_ONLINE_SERVICE, DemoPolicy, Person)


@dataclass(frozen=True)
class StaffLogin:
    email: str
    role: str
    totp_secret: str


@dataclass(frozen=True)
class EnrolmentDemo:
    """A policyholder with no online account yet: what to type to open online service."""

    name: str
    id_number: str
    policy_number: str


@dataclass(frozen=True)
class DemoLogins:
    policyholders: tuple[str, ...]
    staff: tuple[StaffLogin, ...]
    password: str
    created: bool
    enrolment: EnrolmentDemo | None = None


def seed_demo(platform: Platform) -> DemoLogins:
    with platform.unit_of_work() as uow:
        created = False
        products = sync_catalogue(uow.session)
        people: dict[str, Customer] = {}
        for person in PEOPLE:
            people[person.key], new = _customer(uow, person)
            created |= new
        for owner_key, policies in POLICIES.items():
            owner = people[owner_key]
            account = uow.session.execute(select(Account).where(Account.customer_id == owner.id)).scalar_one_or_none()
            if account is None:
                account = create_policyholder_account(uow, owner, DEMO_PASSWORD, is_demo=True)
                for name, kind, institution, balance, as_of in EXTERNAL_ACCOUNTS.get(owner_key, ()):
                    add_account(uow, principal_of(account), AccountEntry(name, kind, institution, balance, as_of))
                for bank_name, number in BANK_ACCOUNTS.get(owner_key, ()):
                    add_bank_account(uow, owner, bank_name=bank_name, account_number=number, verified=True)
                for spec in policies:
                    _policy(uow, spec, owner, people[spec.insured], products[spec.product].id)
                created = True
        enrol = None
        for owner_key, policies in WITHOUT_ONLINE_SERVICE.items():
            owner = people[owner_key]
            numbers = uow.session.scalars(select(Policy.policy_number).where(Policy.owner_id == owner.id)
                                          .order_by(Policy.id)).all()
            if not numbers:
                for spec in policies:
                    _policy(uow, spec, owner, people[spec.insured], products[spec.product].id)
                numbers = uow.session.scalars(select(Policy.policy_number).where(Policy.owner_id == owner.id)
                                              .order_by(Policy.id)).all()
                created = True
            person = next(p for p in PEOPLE if p.key == owner_key)
            enrol = EnrolmentDemo(person.name, person.id_number, numbers[0])
        staff = []
        for email, name, role, level in STAFF:
            account = uow.session.execute(select(Account).where(Account.email == email)).scalar_one_or_none()
            if account is None:
                account = create_staff(
                    uow, email=email, display_name=name, role=role, password=DEMO_PASSWORD,
                    authority_level=level, is_demo=True,
                ).account
                created = True
            staff.append(StaffLogin(email, role, staff_totp_secret(uow, account)))
        _new_business(uow)
        if created:
            chain.record(uow, SYSTEM, "demo.seeded")
        uow.commit()
    holders = tuple(p.email for p in PEOPLE if p.email)
    return DemoLogins(holders, tuple(staff), DEMO_PASSWORD, created, enrol)


def _new_business(uow: UnitOfWork) -> None:
    emails = [p.email for p in PEOPLE if p.email]
    applicants = [a for email in emails
                  if (a := uow.session.scalar(select(Account).where(Account.email == email))) is not None]
    underwriter = uow.session.scalar(select(Account).where(Account.role == "underwriter").order_by(Account.id).limit(1))
    if applicants and underwriter is not None:
        seed_applications(uow, applicants, underwriter)


def _customer(uow: UnitOfWork, person: Person) -> tuple[Customer, bool]:
    index = uow.keyring.blind_index(person.id_number, context=ID_NUMBER_CONTEXT)
    existing = uow.session.execute(select(Customer).where(Customer.id_number_index == index)).scalar_one_or_none()
    if existing is not None:
        return existing, False
    customer = register_customer(
        uow,
        NewCustomer(person.name, person.gender, person.born, person.id_number, person.mobile, person.email, person.address),
    )
    for part, value in person.address_fields.items():
        setattr(customer, f"address_{part}", value)
    return customer, True


def _policy(uow: UnitOfWork, spec: DemoPolicy, owner: Customer, insured: Customer, product_id: int) -> None:
    cover = resolve_cover(
        catalogue.product(spec.product),
        age=age_last_birthday(insured.birth_date, spec.issue_date),
        sex=insured.gender,
        sum_assured=spec.sum_assured,
        term=spec.term_years,
        premium_term=spec.premium_term,
        mode=spec.mode,
    )
    premium = premium_for(cover)
    policy = Policy(
        policy_number=POLICY_NUMBER.format(allocate(uow.session, "policy")),
        product_id=product_id,
        owner_id=owner.id,
        insured_id=insured.id,
        status=spec.status,
        issue_date=spec.issue_date,
        expiry_date=add_months(spec.issue_date, 12 * cover.term) if cover.term else None,
        sum_assured=spec.sum_assured,
        modal_premium=premium.modal,
        premium_mode=spec.mode,
        premium_end_date=add_months(spec.issue_date, 12 * cover.premium_years) if cover.premium_years else None,
        paid_to_date=spec.paid_to,
        currency="CNY",
        status_date=spec.status_date,
        dividend_option=spec.dividend_option,
        automatic_premium_loan=spec.automatic_premium_loan,
        created_at=uow.clock.now(),
    )
    for name, relationship, rank, share in spec.beneficiaries:
        policy.beneficiaries.append(Beneficiary(name=name, relationship_to_insured=relationship, rank=rank, share=share))
    dues = list(due_dates(spec.issue_date, spec.mode, before=spec.paid_to))
    for due in dues:
        policy.premiums.append(
            PremiumPayment(due_date=due, amount=premium.modal, paid_on=_paid_on(due), channel="bank_debit")
        )
    uow.session.add(policy)
    uow.session.flush()
    replay_history(uow, policy, cover, spec, dues)
    # The e-policy in the policyholder's inbox, as issuing the policy would have sent it.
    raise_event(uow, policy.id, "policy_issued", spec.issue_date, {"reference": policy.policy_number},
                reference=policy.policy_number)


def _paid_on(due: date) -> date:
    # Demo premiums were collected by bank debit a few days before they fell due.
    return date.fromordinal(due.toordinal() - 3)
