"""A claimant with a critical illness policy (death, critical illness and hospital cash) and a
participating whole-life policy, a bank account on file; adjusters of each level signed in to
their own browsers; small PDF/PNG files; counting what the store and the database hold."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pyotp
from sqlalchemy import func, select

from paas.claims.models import ClaimPayment
from paas.customers.models import Customer
from paas.customers.registry import add_bank_account
from paas.documents.models import Document
from paas.policies.models import Policy
from paas.security.models import Account
from tests.factories import PASSWORD, make_policy, make_policyholder, make_staff
from tests.web_client import WebClient

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
FACTS = "Admitted to the People's Hospital with pneumonia for ten days."


@dataclass
class Claimant:
    customer: Customer
    account: Account
    critical_illness: Policy
    whole_life: Policy
    email: str


def make_claimant(uow, email: str = "claimant@example.com", mobile: str = "+8613766668888") -> Claimant:
    customer, account = make_policyholder(uow, email=email, mobile=mobile)
    add_bank_account(uow, customer, bank_name="中国银行", account_number="6217000011112222333", verified=True)
    ci = make_policy(uow, customer, product="CI", term_years=30, premium_years=20, sum_assured="500000.00",
                     issue_date=date(2022, 10, 20), paid_to=date(2027, 10, 20))
    whole_life = make_policy(uow, customer, product="WLPAR", term_years=None, sum_assured="300000.00", premium="7000.00",
                             issue_date=date(2018, 5, 1), paid_to=date(2027, 5, 1))
    uow.commit()
    return Claimant(customer, account, ci, whole_life, email)


def claim_form(policy: Policy, **fields: str) -> dict[str, str]:
    return {"policy_number": policy.policy_number, "kind": "hospitalisation", "incident_date": "2026-11-01",
            "facts": FACTS, "claimant_name": "", "bank_account": "1", **fields}


def staff_browser(app, uow, clock, *, role: str = "adjuster", level: int = 2) -> tuple[WebClient, object]:
    """A staff member of this role and level, signed in to a browser of their own. Each
    sign-in moves the clock on a time step, so every authenticator code is fresh."""
    staff = make_staff(uow, role=role, level=level)
    uow.commit()
    clock.advance(timedelta(seconds=30))
    browser = WebClient(app.test_client())
    browser.client.set_cookie("lang", "en")
    answer = browser.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser, staff


def count(uow, model) -> int:
    uow.session.expire_all()
    return uow.session.scalar(select(func.count()).select_from(model))


def payments(uow) -> int:
    return count(uow, ClaimPayment)


def documents(uow) -> int:
    return count(uow, Document)


def stored_objects(tmp_path) -> list:
    folder = tmp_path / "objects"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
