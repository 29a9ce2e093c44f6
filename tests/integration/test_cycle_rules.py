"""Each rule of the nightly cycle on policies built for it, at the edges: the day before, the
day of, month ends, leap days, several dues overdue, premiums finished. On SQLite and
PostgreSQL, inside the test's rolled-back transaction."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.cycle.runner import run_cycle
from paas.loans.models import PolicyLoan
from paas.notices.models import PolicyEvent
from paas.policies.models import Policy, PremiumPayment
from paas.policies.schedule import add_months
from tests.cycle_support import SMALL_BATCHES
from tests.factories import make_customer, make_policy

D = date(2026, 12, 15)


@pytest.fixture
def new_policy(uow):
    def create(*, apl: bool = False, option: str | None = None, **fields) -> Policy:
        policy = make_policy(uow, make_customer(uow), **fields)
        policy.automatic_premium_loan, policy.dividend_option = apl, option
        uow.commit()
        return policy
    return create


@pytest.fixture
def cycle(platform, uow):
    def run(day: date = D, **options):
        reports = run_cycle(platform, day, options=SMALL_BATCHES, **options)
        uow.session.expire_all()
        return reports
    return run


def events(uow, policy: Policy, kind: str | None = None, on: date | None = None) -> dict[str, dict]:
    """The policy's events by kind (of one kind, raised on one day, if asked)."""
    query = select(PolicyEvent).where(PolicyEvent.policy_id == policy.id)
    if on is not None:
        query = query.where(PolicyEvent.event_date == on)
    return {e.type: json.loads(e.detail) for e in uow.session.scalars(query) if kind in (None, e.type)}


def premiums(uow, policy: Policy) -> list[PremiumPayment]:
    return list(uow.session.scalars(select(PremiumPayment).where(PremiumPayment.policy_id == policy.id,
                                                                 PremiumPayment.kind != "payment")))


def loan_of(uow, policy: Policy) -> PolicyLoan | None:
    return uow.session.scalar(select(PolicyLoan).where(PolicyLoan.policy_id == policy.id))


def test_premium_due_notices_go_out_for_every_unpaid_due_30_days_ahead(uow, new_policy, cycle):
    day = date(2027, 1, 29)  # 30 days ahead: 28 February 2027, a month end
    annual = new_policy(issue_date=date(2020, 2, 28), paid_to=date(2027, 2, 28))
    from_the_31st = new_policy(issue_date=date(2026, 1, 31), mode="monthly", paid_to=date(2027, 2, 28))
    in_grace = new_policy(issue_date=date(2026, 3, 31), mode="monthly", status="grace", paid_to=date(2027, 1, 31))
    finished = new_policy(issue_date=date(2017, 2, 28), paid_to=date(2027, 2, 28), premium_years=10)
    paid_ahead = new_policy(issue_date=date(2020, 2, 28), paid_to=date(2028, 2, 28))
    leap_day = new_policy(issue_date=date(2024, 2, 29), mode="quarterly", paid_to=date(2027, 2, 28))
    other_day = new_policy(issue_date=date(2026, 1, 27), mode="monthly", paid_to=date(2027, 2, 27))
    lapsed = new_policy(issue_date=date(2020, 2, 28), status="lapsed", paid_to=date(2026, 2, 28))
    cycle(day, steps=["premium_due"])
    for policy in (annual, from_the_31st, in_grace, leap_day):
        assert events(uow, policy) == {"premium_due": {"amount": "1200.00", "due_date": "2027-02-28"}}
    for policy in (finished, paid_ahead, other_day, lapsed):
        assert events(uow, policy) == {}


def test_grace_starts_the_day_after_an_unpaid_due(uow, new_policy, cycle):
    unpaid = new_policy(issue_date=date(2025, 3, 14), mode="quarterly", paid_to=D - timedelta(days=1))
    due_today = new_policy(issue_date=date(2025, 3, 15), mode="quarterly", paid_to=D)
    finished = new_policy(issue_date=date(2016, 12, 10), paid_to=date(2026, 12, 10), premium_years=10)
    cycle(steps=["grace"])
    assert (unpaid.status, unpaid.status_date, unpaid.version) == ("grace", D, 2)
    assert events(uow, unpaid) == {"grace_started": {"amount": "1200.00", "due_date": "2026-12-14",
                                                     "grace_ends": "2027-02-12"}}
    assert (due_today.status, finished.status) == ("in_force", "in_force")
    assert events(uow, due_today) == events(uow, finished) == {}


def test_a_night_caught_up_late_moves_a_policy_through_grace_to_lapse(uow, new_policy, cycle):
    overdue = new_policy(issue_date=date(2025, 10, 6), mode="monthly", paid_to=date(2026, 10, 6))
    cycle()
    assert (overdue.status, overdue.status_date) == ("lapsed", date(2026, 12, 6))  # 61 days after the due
    assert set(events(uow, overdue)) == {"grace_started", "lapsed"}


def test_grace_warning_15_days_before_the_lapse_date(uow, new_policy, cycle):
    warned = new_policy(issue_date=date(2025, 10, 30), status="grace", paid_to=date(2026, 10, 30))
    not_yet = new_policy(issue_date=date(2025, 10, 31), status="grace", paid_to=date(2026, 10, 31))
    cycle(steps=["grace_warning"])
    assert events(uow, warned) == {"grace_warning": {"amount": "1200.00", "due_date": "2026-10-30",
                                                     "lapses_on": "2026-12-30"}}
    assert events(uow, not_yet) == {}


def test_lapse_the_day_after_60_days_of_grace(uow, new_policy, cycle):
    ended = new_policy(issue_date=date(2025, 10, 15), status="grace", paid_to=D - timedelta(days=61))
    last_day = new_policy(issue_date=date(2025, 10, 16), status="grace", paid_to=D - timedelta(days=60))
    cycle(steps=["lapse"])
    assert (ended.status, ended.status_date, ended.version) == ("lapsed", D, 2)
    assert events(uow, ended) == {"lapsed": {"amount": "1200.00", "due_date": "2026-10-15",
                                             "lapsed_on": "2026-12-15"}}
    assert last_day.status == "grace" and events(uow, last_day) == {}


def whole_life(new_policy, **fields):
    base = dict(product="WLPAR", sum_assured="300000.00", premium="9000.00", term_years=None, premium_years=20)
    return new_policy(**{**base, **fields})


def test_an_automatic_premium_loan_keeps_the_policy_in_force(uow, new_policy, cycle):
    policy = whole_life(new_policy, apl=True, issue_date=date(2016, 10, 15), status="grace",
                        paid_to=date(2026, 10, 15))
    cycle(steps=["lapse"])
    assert (policy.status, policy.status_date, policy.paid_to_date) == ("in_force", D, date(2027, 10, 15))
    loan = loan_of(uow, policy)
    assert (loan.principal, loan.balance, loan.taken_on, loan.interest_to, loan.interest_rate) == (
        Decimal("9000.00"), Decimal("9000.00"), D, D, Decimal("0.0500"))
    [credit] = premiums(uow, policy)
    assert (credit.due_date, credit.kind, credit.channel, credit.paid_on, credit.reference) == (
        date(2026, 10, 15), "apl", "loan", D, f"apl:{policy.id}:2026-10-15")
    assert events(uow, policy, "automatic_premium_loan")["automatic_premium_loan"] == {
        "amount": "9000.00", "dues": ["2026-10-15"], "loan_balance": "9000.00"}


def test_automatic_premium_loans_pay_every_overdue_monthly_due_on_the_open_loan(uow, new_policy, cycle):
    policy = whole_life(new_policy, apl=True, mode="monthly", premium="800.00", issue_date=date(2016, 1, 31),
                        status="grace", paid_to=date(2026, 9, 30))
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal("10000.00"), interest_rate=Decimal("0.05"),
                               taken_on=date(2026, 1, 31), interest_to=date(2026, 1, 31), balance=Decimal("10000.00"),
                               status="open", created_at=uow.clock.now()))
    uow.commit()
    cycle(steps=["lapse"])
    paid = [p.due_date for p in premiums(uow, policy)]
    assert paid == [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)]  # all before D, month ends kept
    assert (policy.status, policy.paid_to_date) == ("in_force", date(2026, 12, 31))
    loan = loan_of(uow, policy)
    interest = (Decimal("10000") * Decimal("0.05") * (D - date(2026, 1, 31)).days / 365).quantize(Decimal("0.01"))
    assert loan.balance == Decimal("10000.00") + interest + 3 * Decimal("800.00")
    assert (loan.principal, loan.interest_to) == (Decimal("12400.00"), D)


def test_without_enough_cash_value_the_policy_lapses_despite_the_election(uow, new_policy, cycle):
    young = whole_life(new_policy, apl=True, issue_date=date(2025, 10, 15), status="grace",
                       paid_to=date(2025, 10, 15))
    term = new_policy(apl=True, issue_date=date(2016, 10, 15), status="grace", paid_to=date(2026, 10, 15))
    cycle(steps=["lapse"])
    for policy in (young, term):
        assert policy.status == "lapsed" and loan_of(uow, policy) is None and premiums(uow, policy) == []


@pytest.mark.parametrize("option", ["accumulate", "cash", "offset_premium", "paid_up_additions"])
def test_anniversary_dividend_by_option(uow, new_policy, cycle, option):
    from paas.dividends.models import DividendDeclaration
    from paas.policies.ledger import balance, credit

    policy = whole_life(new_policy, option=option, issue_date=date(2016, 12, 15), paid_to=date(2027, 12, 15))
    credit(uow, policy.id, "dividends", "credit", Decimal("1000.00"), date(2020, 12, 15), reference="old")
    uow.commit()
    cycle(steps=["anniversaries"])
    declaration = uow.session.scalar(select(DividendDeclaration).where(DividendDeclaration.policy_id == policy.id))
    assert (declaration.policy_year, declaration.option, declaration.declared_on) == (10, option, D)
    assert declaration.amount > 0
    kinds = events(uow, policy)
    assert kinds["dividend_declared"] == {"amount": str(declaration.amount), "option": option, "policy_year": "10"}
    assert ("dividend_cash" in kinds) == (option == "cash")
    held = Decimal("1025.00") + (declaration.amount if option == "accumulate" else 0)  # 2.5% interest first
    assert balance(uow, policy.id, "dividends") == held
    assert (policy.paid_up_additions > 0, policy.version) == ((True, 2) if option == "paid_up_additions" else (False, 1))


def test_a_leap_day_issue_has_its_anniversary_on_28_february(uow, new_policy, cycle):
    policy = whole_life(new_policy, issue_date=date(2016, 2, 29), paid_to=date(2027, 2, 28))
    cycle(date(2027, 3, 1), steps=["anniversaries"])
    assert events(uow, policy) == {}
    cycle(date(2027, 2, 28), steps=["anniversaries"])
    assert events(uow, policy)["dividend_declared"]["policy_year"] == "11"


def test_survival_benefit_every_third_anniversary_and_interest_on_what_is_held(uow, new_policy, cycle):
    from paas.policies.ledger import balance, credit

    endowment = dict(product="ENDOW", sum_assured="100000.00", term_years=20, premium_years=10)
    third = new_policy(issue_date=date(2023, 12, 15), paid_to=date(2027, 12, 15), **endowment)
    fourth = new_policy(issue_date=date(2022, 12, 15), paid_to=date(2027, 12, 15), **endowment)
    credit(uow, fourth.id, "survival_benefits", "credit", Decimal("10000.00"), date(2025, 12, 15), reference="held")
    uow.commit()
    cycle(steps=["anniversaries"])
    assert balance(uow, third.id, "survival_benefits") == Decimal("10000.00")
    assert events(uow, third) == {"survival_benefit": {"amount": "10000.00", "policy_year": "3"}}
    assert balance(uow, fourth.id, "survival_benefits") == Decimal("10250.00")  # interest, no benefit in year 4
    assert events(uow, fourth) == {}


def test_loan_interest_capitalised_at_the_anniversary_and_a_warning_near_the_limit(uow, new_policy, cycle):
    small = whole_life(new_policy, issue_date=date(2016, 12, 15), paid_to=date(2027, 12, 15))
    large = whole_life(new_policy, issue_date=date(2016, 12, 15), paid_to=date(2027, 12, 15))
    for policy, amount in ((small, "10000.00"), (large, "60000.00")):
        uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal(amount), interest_rate=Decimal("0.05"),
                                   taken_on=date(2025, 12, 15), interest_to=date(2025, 12, 15),
                                   balance=Decimal(amount), status="open", created_at=uow.clock.now()))
    uow.commit()
    cycle(steps=["anniversaries"])
    assert (loan_of(uow, small).balance, loan_of(uow, small).interest_to) == (Decimal("10500.00"), D)
    interest = events(uow, small, "loan_interest")["loan_interest"]
    assert {key: interest[key] for key in ("interest", "balance")} == {"interest": "500.00", "balance": "10500.00"}
    assert Decimal(interest["cash_value"]) > Decimal(interest["balance"])
    assert "loan_near_limit" not in events(uow, small) and "loan_near_limit" in events(uow, large)


def test_an_endowment_matures_and_its_loan_is_settled_from_the_benefit(uow, new_policy, cycle):
    from paas.policies.ledger import balance

    policy = new_policy(product="ENDOW", sum_assured="100000.00", issue_date=add_months(D, -240), term_years=20,
                        premium_years=10, paid_to=add_months(D, -120))
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal("5000.00"), interest_rate=Decimal("0.05"),
                               taken_on=add_months(D, -12), interest_to=add_months(D, -12),
                               balance=Decimal("5000.00"), status="open", created_at=uow.clock.now()))
    uow.commit()
    cycle()
    assert (policy.status, policy.status_date) == ("matured", D)
    assert loan_of(uow, policy).status == "repaid"
    assert balance(uow, policy.id, "survival_benefits") == Decimal("100000.00") - Decimal("5250.00")
    assert events(uow, policy)["maturity"] == {"amount": "100000.00", "arrears": "0.00", "loan_repaid": "5250.00",
                                               "expiry_date": D.isoformat()}


def test_an_endowment_in_grace_at_maturity_pays_its_last_premium_from_the_benefit(uow, new_policy, cycle):
    policy = new_policy(product="ENDOW", sum_assured="100000.00", issue_date=add_months(D, -180), term_years=15,
                        premium_years=15, mode="monthly", premium="600.00", status="grace",
                        paid_to=add_months(D, -1))
    cycle()
    assert policy.status == "matured" and policy.paid_to_date == D
    [arrears] = premiums(uow, policy)
    assert (arrears.due_date, arrears.kind, arrears.channel) == (add_months(D, -1), "maturity", "benefit")
    assert events(uow, policy)["maturity"]["arrears"] == "600.00"


def test_term_cover_ends_and_a_lapsed_policy_is_left_alone(uow, new_policy, cycle):
    ending = new_policy(issue_date=add_months(D, -240), paid_to=add_months(D, -12))
    lapsed = new_policy(issue_date=add_months(D, -240), status="lapsed", paid_to=add_months(D, -60))
    cycle(steps=["maturities"])
    assert (ending.status, ending.status_date, ending.version) == ("expired", D, 2)
    assert events(uow, ending) == {"cover_ended": {"expiry_date": D.isoformat()}}
    assert lapsed.status == "lapsed" and events(uow, lapsed) == {}


def test_a_policy_whose_work_fails_is_skipped_audited_and_done_by_a_rerun(uow, new_policy, cycle, monkeypatch):
    from paas.audit.models import AuditEntry
    from paas.cycle.steps import dividends

    good = whole_life(new_policy, issue_date=date(2016, 12, 15), paid_to=date(2027, 12, 15))
    bad = whole_life(new_policy, issue_date=date(2016, 12, 15), paid_to=date(2027, 12, 15))
    declare = dividends.declare_dividend

    def failing(uow_, policy, *args):
        if policy.id == bad.id:
            raise ValueError("no dividend scale for this policy")
        return declare(uow_, policy, *args)

    monkeypatch.setattr(dividends, "declare_dividend", failing)
    [report] = cycle(steps=["anniversaries"])
    assert (report.touched, report.failed) == (1, 1)
    assert "dividend_declared" in events(uow, good) and events(uow, bad) == {}
    [entry] = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "cycle.policy_failed"))
    assert entry.subject == f"policy:{bad.id}" and "no dividend scale" in entry.detail
    monkeypatch.setattr(dividends, "declare_dividend", declare)  # put right, then run the step again
    [again] = cycle(steps=["anniversaries"], again=True)
    assert (again.touched, again.failed) == (1, 0) and "dividend_declared" in events(uow, bad)


def test_a_policy_switched_to_monthly_at_its_anniversary_is_billed_monthly_from_there(uow, new_policy, cycle):
    from paas.audit.chain import SYSTEM
    from paas.billing.crediting import credit_premium

    policy = new_policy(issue_date=date(2020, 1, 31), mode="annual", premium="1200.00", paid_to=date(2027, 1, 31))
    policy.premium_mode, policy.modal_premium = "monthly", Decimal("110.00")  # changed at the coming anniversary
    uow.commit()
    cycle(date(2027, 1, 1), steps=["premium_due"])
    assert events(uow, policy, on=date(2027, 1, 1))["premium_due"]["due_date"] == "2027-01-31"  # an anniversary
    credit_premium(uow, policy, date(2027, 1, 31), Decimal("110.00"), kind="payment", channel="card",
                   reference="paid-jan", actor=SYSTEM)
    uow.commit()
    assert policy.paid_to_date == date(2027, 2, 28)  # the month end clamps ...
    cycle(date(2027, 1, 29), steps=["premium_due"])
    assert events(uow, policy, on=date(2027, 1, 29))["premium_due"]["due_date"] == "2027-02-28"
    cycle(date(2027, 3, 1), steps=["premium_due", "grace"])
    assert (policy.status, policy.status_date) == ("grace", date(2027, 3, 1))
    assert events(uow, policy, on=date(2027, 3, 1))["premium_due"]["due_date"] == "2027-03-31"  # back to the 31st


def test_a_mode_change_takes_effect_once_the_policy_is_paid_to_the_anniversary(uow, new_policy, cycle):
    paid_to_it = new_policy(issue_date=date(2020, 1, 31), premium="1200.00", paid_to=date(2027, 1, 31))
    monthly = new_policy(issue_date=date(2020, 1, 31), mode="monthly", premium="105.60", paid_to=date(2026, 12, 31))
    overdue = new_policy(issue_date=date(2020, 12, 10), status="grace", paid_to=date(2026, 12, 10))
    paid_to_it.next_premium_mode, monthly.next_premium_mode, overdue.next_premium_mode = "monthly", "annual", "monthly"
    uow.commit()
    cycle(steps=["premium_mode"])
    assert (paid_to_it.premium_mode, paid_to_it.modal_premium, paid_to_it.next_premium_mode) == (
        "monthly", Decimal("105.60"), None)  # 1,200 a year at TERM's monthly factor 0.088
    assert paid_to_it.version == 2 and events(uow, paid_to_it)["premium_mode_changed"] == {
        "first_due": "2027-01-31", "from_mode": "annual", "mode": "monthly", "premium": "105.60"}
    # paid in the old mode up to a day that is no anniversary, or an anniversary already past
    assert (monthly.premium_mode, monthly.next_premium_mode) == ("monthly", "annual")
    assert (overdue.premium_mode, overdue.next_premium_mode) == ("annual", "monthly")
    monthly.paid_to_date = date(2027, 1, 31)  # the last monthly due before the anniversary paid
    uow.commit()
    cycle(date(2026, 12, 16), steps=["premium_mode"])
    assert (monthly.premium_mode, monthly.modal_premium) == ("annual", Decimal("1200.00"))


def test_the_annual_statement_states_the_policy_year_once(uow, new_policy, cycle):
    from paas.notices.models import Notice

    monthly = new_policy(issue_date=date(2020, 12, 15), mode="monthly", premium="100.10", paid_to=date(2026, 10, 15))
    not_yet = new_policy(issue_date=date(2020, 12, 16), paid_to=date(2027, 12, 16))
    lapsed = new_policy(issue_date=date(2019, 12, 15), status="lapsed", paid_to=date(2026, 3, 15))
    # The 6th policy year ran 15 Dec 2025 - 14 Dec 2026: ten monthly dues paid (Dec-Sep), two unpaid.
    cycle(steps=["statements", "notices"])
    stated = events(uow, monthly, "annual_statement")["annual_statement"]
    cash_value = Decimal(stated.pop("cash_value"))
    assert stated == {"year": "6", "period_start": "2025-12-15", "period_end": "2026-12-14", "payments": "10",
                      "premiums_paid": "1001.00"}
    assert cash_value >= 0 and str(cash_value) == f"{cash_value:.2f}"
    assert events(uow, not_yet) == {} and events(uow, lapsed) == {}
    notices = list(uow.session.scalars(select(Notice).where(Notice.policy_id == monthly.id)))
    assert [n.notice_type for n in notices] == ["annual_statement"]
    assert json.loads(notices[0].canonical)["fields"]["premiums_paid"] == "1001.00"

    cycle(steps=["statements", "notices"])  # the night run again: nothing twice
    assert uow.session.scalar(select(func.count(PolicyEvent.id)).where(
        PolicyEvent.policy_id == monthly.id, PolicyEvent.type == "annual_statement")) == 1
    assert len(list(uow.session.scalars(select(Notice).where(Notice.policy_id == monthly.id)))) == 1


def test_the_nights_notices_signed_in_workers_verify(uow, platform, new_policy, cycle, monkeypatch):
    import multiprocessing

    from paas.notices import document, records, signing
    from paas.notices.models import Notice

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(signing, "PARALLEL_FROM", 1)  # this small night as if it were a large one
    monkeypatch.setattr(signing.os, "cpu_count", lambda: 2)
    pools = []

    def counted(keyring, now, workers):
        pools.append(workers)
        return signing.chunk_builder(keyring, now, workers)
    monkeypatch.setattr(records, "chunk_builder", counted)
    policies = [new_policy(issue_date=date(2020, 12, 15), paid_to=date(2027, 12, 15)) for _ in range(3)]
    cycle(steps=["statements", "notices"])
    notices = list(uow.session.scalars(select(Notice).where(Notice.policy_id.in_([p.id for p in policies]))))
    assert len(notices) == 3 and 2 in pools
    for notice in notices:
        data = json.loads(notice.canonical)
        assert data["type"] == "annual_statement" and notice.code == document.verification_code(notice.signature)
        assert document.verify(data, notice.signature, notice.key_id, keys=platform.keyring)
        data["fields"]["premiums_paid"] = "0.01"
        assert not document.verify(data, notice.signature, notice.key_id, keys=platform.keyring)
