"""Helpers for new-business tests: a filled-in application form, staff principals, and paying
the first premium through the sandbox as the provider's webhook would confirm it."""
from __future__ import annotations

from iaas.payments.sandbox import SUCCEEDING_CARD
from paas.security.sessions import principal_of as staff_principal
from paas.underwriting import applications
from paas.underwriting.issuing import start_first_premium
from paas.underwriting.rulebook import current
from tests.factories import make_staff
from tests.payments_support import URLS, deliver_all, session_of


def form(**changes: str) -> dict[str, str]:
    """A healthy office worker insuring herself for 500,000 over 20 years: straight through."""
    values = {"insured": "self", "sum_assured": "500000", "term": "20", "premium_term": "term", "mode": "annual",
              "occupation_class": "1", "height_cm": "165", "weight_kg": "58", "income": "200000",
              "cover_elsewhere": "0", "payment_method": "online", "declare_truth": "yes", "consent_data": "yes",
              "beneficiary_1_name": "张三", "beneficiary_1_relationship": "spouse", "beneficiary_1_share": "100"}
    values.update({f"q_{q.id}": "no" for q in current().health})
    values.update(changes)
    return values


def apply(uow, who, product: str = "TERM", **changes: str):
    application = applications.start(uow, who, product)
    applications.submit(uow, who, application.reference, form(**changes))
    uow.commit()
    return application


def underwriter(uow, level: int = 1):
    return staff_principal(make_staff(uow, role="underwriter", level=level).account)


def pay_first_premium(uow, platform, payments, who, reference: str) -> None:
    started = start_first_premium(uow, who, reference, URLS)
    uow.commit()
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    deliver_all(platform, payments)
    uow.session.expire_all()
