"""New business under real concurrency, on PostgreSQL with real commits and threads: eight
underwriters deciding one case at once record one decision; two senior underwriters agreeing
at once apply it once; a double-clicked "pay" and a webhook delivered twice at once issue one
policy."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from iaas.payments.sandbox import SUCCEEDING_CARD
from paas.errors import InvalidInput, NotPermitted
from paas.platform import Platform
from paas.policies.models import Policy
from paas.security.sessions import principal_of
from paas.underwriting import applications, decisions
from paas.underwriting.decisions import Decision
from paas.underwriting.issuing import start_first_premium
from paas.underwriting.models import Application, UnderwritingStep
from tests.factories import make_policyholder, make_staff
from tests.payments_support import URLS, deliver, sandbox_gateway, session_of, take_events
from tests.postgres_support import committing_platform, migrated_engine
from tests.underwriting_support import form

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=12)


@pytest.fixture
def pg(pg_engine, tmp_path) -> Platform:
    return committing_platform(pg_engine, payments=sandbox_gateway(tmp_path))


def _application(pg: Platform, **changes):
    with pg.unit_of_work() as uow:
        _, account = make_policyholder(uow)
        who = principal_of(account)
        application = applications.start(uow, who, "TERM")
        applications.submit(uow, who, application.reference, form(**changes))
        uow.commit()
        return who, application.reference


def _underwriters(pg: Platform, level: int, count: int) -> list:
    with pg.unit_of_work() as uow:
        staff = [principal_of(make_staff(uow, role="underwriter", level=level).account) for _ in range(count)]
        uow.commit()
    return staff


def _decide(pg: Platform, staff, reference: str, decision: Decision) -> str:
    try:
        with pg.unit_of_work() as uow:
            decisions.decide(uow, staff, reference, decision)
            uow.commit()
            return "decided"
    except (InvalidInput, NotPermitted):
        return "refused"


def _steps(pg: Platform, reference: str) -> list[str]:
    with pg.unit_of_work() as uow:
        return list(uow.session.scalars(select(UnderwritingStep.decision).join(Application)
                                        .where(Application.reference == reference).order_by(UnderwritingStep.id)))


def test_eight_underwriters_deciding_at_once_record_one_decision(pg):
    _, reference = _application(pg, q_heart="yes")
    staff = _underwriters(pg, 2, 8)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda who: _decide(pg, who, reference, Decision("rated", extra_pct="50")), staff))
    assert outcomes.count("decided") == 1 and _steps(pg, reference) == ["rated"]


def test_two_seniors_agreeing_at_once_apply_the_decision_once(pg):
    _, reference = _application(pg, q_heart="yes", sum_assured="2000000", income="1000000")
    (junior,) = _underwriters(pg, 1, 1)
    assert _decide(pg, junior, reference, Decision("standard")) == "decided"
    seniors = _underwriters(pg, 3, 2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda who: _decide(pg, who, reference, Decision("agree")), seniors))
    assert sorted(outcomes) == ["decided", "refused"] and _steps(pg, reference) == ["standard", "agree"]


def test_a_double_click_and_a_webhook_twice_at_once_issue_one_policy(pg):
    who, reference = _application(pg)

    def pay(_):
        with pg.unit_of_work() as uow:
            started = start_first_premium(uow, who, reference, URLS)
            uow.commit()
            return started.checkout_url

    with ThreadPoolExecutor(2) as pool:
        urls = set(pool.map(pay, range(2)))
    assert len(urls) == 1
    pg.payments.pay(session_of(urls.pop()), SUCCEEDING_CARD)
    events = take_events(pg.payments)
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda event: deliver(pg, event), events * 2))
    assert outcomes.count("duplicate") == len(events)
    with pg.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Policy).where(Policy.owner_id == who.customer_id)) == 1
        assert applications.mine(uow, who, reference).status == "issued"


def test_two_visitors_giving_one_id_number_at_once_make_one_customer(pg):
    from datetime import date

    from sqlalchemy import update

    from paas.customers.models import Customer
    from paas.customers.registry import ID_NUMBER_CONTEXT
    from paas.security.models import Account
    from paas.underwriting.newcomer import KNOWN, become_customer
    from portal.demo.people import resident_id

    born = date(1991, 3, 9)
    number = resident_id("440106", born, 517)
    visitors = []
    with pg.unit_of_work() as uow:
        for _ in range(4):  # registered visitors: an account with a mobile, no customer record yet
            _, account = make_policyholder(uow)
            uow.session.execute(update(Account).where(Account.id == account.id).values(customer_id=None))
            uow.session.refresh(account)
            visitors.append(principal_of(account))
        uow.commit()

    def apply_as(who):
        with pg.unit_of_work() as uow:
            try:
                became = become_customer(uow, who, {"owner_name": "陈晓", "owner_gender": "F",
                                                    "owner_birth_date": born.isoformat(), "owner_id_number": number})
            except InvalidInput as refused:
                return refused.message
            uow.commit()
            return became.customer_id

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(apply_as, visitors))
    assert sum(isinstance(o, int) for o in outcomes) == 1 and outcomes.count(KNOWN) == 3
    with pg.unit_of_work() as uow:
        index = uow.keyring.blind_index(number, context=ID_NUMBER_CONTEXT)
        assert uow.session.scalar(select(func.count()).select_from(Customer).where(Customer.id_number_index == index)) == 1
