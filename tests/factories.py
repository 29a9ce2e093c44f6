"""Small factories for test data, built through the real services."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from paas.customers.models import Customer
from paas.customers.registry import NewCustomer, register_customer
from paas.numbering import POLICY_NUMBER, allocate
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from paas.policies.schedule import add_months, due_dates
from paas.products.catalogue import sync_catalogue
from paas.security.accounts import NewStaff, create_policyholder_account, create_staff
from paas.security.models import Account
from paas.security.principal import Principal
from paas.unit_of_work import UnitOfWork
from portal.demo.people import resident_id

PASSWORD = "correct-horse-9"
_serial = itertools.count(1)


def make_customer(uow: UnitOfWork, *, name: str = "测试客户", gender: str = "F", born: date = date(1980, 1, 1),
                  mobile: str | None = None, email: str | None = None, address: str | None = "广州市天河区体育西路1号") -> Customer:
    n = next(_serial)
    return register_customer(
        uow,
        NewCustomer(
            name=name,
            gender=gender,
            birth_date=born,
            id_number=resident_id("440106", born, n % 1000),
            mobile=mobile if mobile is not None else f"+86139{n:08d}",
            email=email if email is not None else f"person{n}@example.com",
            address=address,
        ),
    )


def make_policyholder(uow: UnitOfWork, **customer_fields) -> tuple[Customer, Account]:
    customer = make_customer(uow, **customer_fields)
    return customer, create_policyholder_account(uow, customer, PASSWORD)


def make_staff(uow: UnitOfWork, role: str = "clerk", level: int = 1) -> NewStaff:
    n = next(_serial)
    return create_staff(uow, email=f"staff{n}@insurer.example", display_name=f"员工{n}", role=role,
                        password=PASSWORD, authority_level=level)


def make_policy(uow: UnitOfWork, owner: Customer, *, insured: Customer | None = None, product: str = "TERM",
                status: str = "in_force", issue_date: date = date(2020, 3, 1), mode: str = "annual",
                sum_assured: str = "500000.00", premium: str = "1200.00", paid_to: date = date(2027, 3, 1),
                term_years: int | None = 20, premium_years: int | None = 20,
                beneficiaries: tuple[tuple[str, str, int, str], ...] = (("受益人", "spouse", 1, "100"),)) -> Policy:
    products = sync_catalogue(uow.session)
    policy = Policy(
        policy_number=POLICY_NUMBER.format(allocate(uow.session, "policy")),
        product_id=products[product].id,
        owner_id=owner.id,
        insured_id=(insured or owner).id,
        status=status,
        issue_date=issue_date,
        expiry_date=add_months(issue_date, 12 * term_years) if term_years else None,
        sum_assured=Decimal(sum_assured),
        modal_premium=Decimal(premium),
        premium_mode=mode,
        premium_end_date=add_months(issue_date, 12 * premium_years) if premium_years else None,
        paid_to_date=paid_to,
        currency="CNY",
        # A lapsed policy lapsed lately (within the reinstatement window) unless a test says otherwise.
        status_date=uow.clock.today() - timedelta(days=30) if status == "lapsed" else issue_date,
        created_at=uow.clock.now(),
    )
    for name, relationship, rank, share in beneficiaries:
        policy.beneficiaries.append(Beneficiary(name=name, relationship_to_insured=relationship, rank=rank,
                                                share=Decimal(share)))
    for due in due_dates(issue_date, mode, before=paid_to):
        policy.premiums.append(PremiumPayment(due_date=due, amount=Decimal(premium), paid_on=due, channel="bank_debit"))
    uow.session.add(policy)
    uow.session.flush()
    return policy


def principal_of(account: Account) -> Principal:
    return Principal(account.id, account.display_name, account.locale, customer_id=account.customer_id)


def make_external_account(uow: UnitOfWork, account: Account, *, name: str = "工资卡", kind: str = "bank",
                          balance: str = "10000.00", as_of: str = "2026-11-01", institution: str = "招商银行"):
    from paas.assets.entry import AccountEntry
    from paas.assets.external import add_account

    return add_account(uow, principal_of(account), AccountEntry(name, kind, institution, balance, as_of))
