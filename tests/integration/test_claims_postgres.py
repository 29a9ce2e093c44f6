"""Approving a claim under real concurrency, on PostgreSQL with real commits and threads:
ten adjusters clicking approve at once pay once; above the first approver's limit, two
higher colleagues agreeing at once still pay once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from iaas.objects import LocalFolderStore
from paas.claims import adjusting, reporting
from paas.claims.models import Claim, ClaimPayment
from paas.errors import InvalidInput, NotPermitted
from paas.platform import Platform
from paas.security.sessions import principal_of
from tests.claims_support import FACTS, PDF, make_claimant
from tests.postgres_support import committing_platform, migrated_engine
from tests.factories import make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=12)


@pytest.fixture
def pg(pg_engine, tmp_path) -> Platform:
    return committing_platform(pg_engine, objects=LocalFolderStore(tmp_path / "objects"))


def _documented_claim(pg: Platform, email: str, mobile: str) -> str:
    with pg.unit_of_work() as uow:
        claimant = make_claimant(uow, email, mobile)
        who = principal_of(claimant.account)
        claim = reporting.report(uow, who, claimant.critical_illness.policy_number, kind="hospitalisation",
                                 incident_date=date(2026, 11, 1), facts=FACTS, claimant_name="", bank_account="1")
        for code in reporting.REQUIRED["hospitalisation"]:
            reporting.add_document(uow, who, claim.reference, document_type=code, filename="a.pdf", data=PDF)
        uow.commit()
        return claim.reference


def _adjusters(pg: Platform, level: int, count: int) -> list:
    with pg.unit_of_work() as uow:
        staff = [principal_of(make_staff(uow, role="adjuster", level=level).account) for _ in range(count)]
        uow.commit()
    return staff


def _approve(pg: Platform, staff, reference: str, days: int) -> str:
    try:
        with pg.unit_of_work() as uow:
            # Each approver confirms the amount a large payout shows them (500 yuan a day on this policy).
            adjusting.approve(uow, staff, reference, hospital_days=days, confirmed_amount=f"{days * 500}")
            uow.commit()
            return "approved"
    except (InvalidInput, NotPermitted):
        return "refused"


def _race(pg: Platform, staff: list, reference: str, days: int) -> list[str]:
    with ThreadPoolExecutor(len(staff)) as pool:
        return list(pool.map(lambda who: _approve(pg, who, reference, days), staff))


def _paid(pg: Platform, reference: str) -> tuple[int, str]:
    with pg.unit_of_work() as uow:
        claim = uow.session.scalar(select(Claim).where(Claim.reference == reference))
        count = uow.session.scalar(select(func.count()).select_from(ClaimPayment).where(ClaimPayment.claim_id == claim.id))
        return count, claim.status


def test_ten_adjusters_approving_at_once_pay_once(pg):
    reference = _documented_claim(pg, "race-one@example.com", "+8613711110001")
    outcomes = _race(pg, _adjusters(pg, 2, 10), reference, 10)
    assert outcomes.count("approved") == 1 and outcomes.count("refused") == 9
    assert _paid(pg, reference) == (1, "paid")


def test_two_second_approvers_at_once_pay_once(pg):
    reference = _documented_claim(pg, "race-two@example.com", "+8613711110002")
    (junior,) = _adjusters(pg, 1, 1)
    assert _approve(pg, junior, reference, 120) == "approved"  # 60,000: above level 1's 50,000
    assert _paid(pg, reference) == (0, "awaiting_second_approval")
    outcomes = _race(pg, _adjusters(pg, 2, 2) + _adjusters(pg, 3, 2), reference, 120)
    assert outcomes.count("approved") == 1
    assert _paid(pg, reference) == (1, "paid")
