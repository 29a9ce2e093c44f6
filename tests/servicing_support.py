"""A policyholder with a participating policy holding dividends, a bank account on file and a
term policy; the SMS code of a request read from the outbox; a staff member signed in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pyotp

from paas.customers.models import Customer
from paas.customers.registry import add_bank_account
from paas.policies.ledger import credit
from paas.policies.models import Policy
from paas.security.models import Account
from tests import outbox_support
from tests.factories import PASSWORD, make_policy, make_policyholder, make_staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@dataclass
class Holder:
    customer: Customer
    account: Account
    whole_life: Policy
    term: Policy
    email: str


def make_holder(uow, email: str, mobile: str, *, dividends: str = "1000.00") -> Holder:
    customer, account = make_policyholder(uow, email=email, mobile=mobile)
    add_bank_account(uow, customer, bank_name="中国银行", account_number="6217000011112222333", verified=True)
    whole_life = make_policy(uow, customer, product="WLPAR", term_years=None, mode="annual", premium="7000.00",
                             issue_date=date(2020, 3, 1), paid_to=date(2027, 3, 1))
    term = make_policy(uow, customer, product="TERM", issue_date=date(2021, 6, 1), paid_to=date(2027, 6, 1))
    credit(uow, whole_life.id, "dividends", "credit", Decimal(dividends), whole_life.issue_date, reference=f"seed:{email}")
    uow.commit()
    return Holder(customer, account, whole_life, term, email)


def address(street: str = "南京东路100号", *, province: str = "上海市", city: str = "上海市", district: str = "黄浦区",
            postcode: str = "200001") -> dict[str, str]:
    """An address change's fields; the defaults read 上海市黄浦区南京东路100号 (a municipality is named once)."""
    return {"province": province, "city": city, "district": district, "street": street, "postcode": postcode}


def sms_code(uow, reference: str) -> str:
    return outbox_support.sms_code(uow, reference)


def wrong(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def staff_signed_in(uow, web, clock, role: str = "clerk"):
    staff = make_staff(uow, role=role)
    uow.commit()
    response = web.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    assert response.status_code == 302, response.get_data(as_text=True)
    return staff


def next_totp(staff, clock) -> str:
    """A code of a later time step: each step's code works only once (the sign-in used one)."""
    clock.advance(timedelta(seconds=30))
    return pyotp.TOTP(staff.totp_secret).at(clock.now())


def multipart(fields: dict[str, str], files: dict[str, tuple[bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body built in memory (werkzeug's test client spools a large one
    to a temporary file it never closes)."""
    boundary = "----servicing-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    for name, (data, filename) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode()
        parts.append(head + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
