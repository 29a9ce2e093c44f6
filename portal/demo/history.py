"""The past of each demo policy, replayed through the platform's own services so its pages
show real values: dividends declared and applied, survival benefits credited or paid,
interest on money held, a policy loan, reduced paid-up cover, units bought in funds."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from paas.dividends.declare import declare_dividend
from paas.funds.models import FundHolding
from paas.funds.positions import latest_price
from paas.loans.models import PolicyLoan
from paas.policies.ledger import credit, credit_interest
from paas.policies.models import Policy
from paas.policies.schedule import add_months
from paas.products.pricing import Cover
from paas.products.values import cash_value_on, loan_interest, policy_year_position, survival_benefit_schedule
from paas.unit_of_work import UnitOfWork
from portal.demo.funds import ensure_fund_prices
from portal.demo.people import DemoPolicy


def replay_history(uow: UnitOfWork, policy: Policy, cover: Cover, spec: DemoPolicy, dues: list[date]) -> None:
    today = uow.clock.today()
    # Events stop when premiums stopped for a lapsed policy, at maturity, or at surrender.
    until = min(today, spec.status_date) if spec.status in ("lapsed", "matured", "surrendered", "paid_up") else today
    if cover.spec.dividends is not None:
        _dividends(uow, policy, cover, spec, min(until, spec.paid_to))
    if cover.spec.survival_benefits is not None:
        _survival_benefits(uow, policy, cover, spec, today)
    if spec.status == "paid_up":
        value = cash_value_on(cover, policy.modal_premium, policy.issue_date, spec.paid_to,
                              paid_up_additions=policy.paid_up_additions)
        policy.paid_up_sum_assured = value.paid_up_sum_assured
    if spec.loan is not None:
        _loan(uow, policy, cover, spec.loan, today)
    if spec.fund_split:
        _units(uow, policy, cover, spec, dues, today)


def _anniversaries(issue_date: date, until: date):
    years, _ = policy_year_position(issue_date, until)
    return [(year, add_months(issue_date, 12 * year)) for year in range(1, years + 1)]


def _dividends(uow: UnitOfWork, policy: Policy, cover: Cover, spec: DemoPolicy, until: date) -> None:
    rate = cover.spec.dividends.accumulation_interest
    for year, anniversary in _anniversaries(policy.issue_date, until):
        credit_interest(uow, policy.id, "dividends", rate, anniversary, reference=f"dividend-interest:{policy.id}:{year}")
        declare_dividend(uow, policy, cover, year, anniversary)


def _survival_benefits(uow: UnitOfWork, policy: Policy, cover: Cover, spec: DemoPolicy, today: date) -> None:
    rate = cover.spec.survival_benefits.accumulation_interest
    benefits = [b for b in survival_benefit_schedule(cover, policy.issue_date) if b.due_on <= min(today, spec.paid_to)]
    if spec.status == "matured":
        benefits = [b for b in survival_benefit_schedule(cover, policy.issue_date) if b.due_on <= today]
    for benefit in benefits:
        reference = f"survival:{policy.id}:{benefit.due_on.isoformat()}"
        credit(uow, policy.id, "survival_benefits", "credit", benefit.amount, benefit.due_on, reference=reference)
        if spec.status == "matured":  # a matured policy has paid everything out
            credit(uow, policy.id, "survival_benefits", "withdrawal", -benefit.amount, benefit.due_on,
                   reference=reference + ":paid")
    if spec.status != "matured":
        for year, anniversary in _anniversaries(policy.issue_date, today):
            credit_interest(uow, policy.id, "survival_benefits", rate, anniversary,
                            reference=f"survival-interest:{policy.id}:{year}")


def _loan(uow: UnitOfWork, policy: Policy, cover: Cover, loan: tuple[Decimal, date], today: date) -> None:
    amount, taken_on = loan
    rate = cover.spec.loan_interest
    balance, interest_to = amount, taken_on
    for _year, anniversary in _anniversaries(policy.issue_date, today):
        if anniversary > taken_on:  # interest is capitalised at each anniversary
            balance += loan_interest(balance, rate, interest_to, anniversary)
            interest_to = anniversary
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=amount, interest_rate=rate, taken_on=taken_on,
                               interest_to=interest_to, balance=balance, status="open", created_at=uow.clock.now()))


def _units(uow: UnitOfWork, policy: Policy, cover: Cover, spec: DemoPolicy, dues: list[date], today: date) -> None:
    """Each premium, less the initial charge of its policy year, buys units at that day's price."""
    ensure_fund_prices(uow, [fund.code for fund in cover.spec.unit_linked.funds], policy.issue_date, today)
    units: dict[str, Decimal] = {}
    for due in dues:
        if due > today:
            break
        year = policy_year_position(policy.issue_date, due)[0] + 1
        invested = policy.modal_premium * cover.spec.unit_linked.allocation_rate(year)
        for fund_code, share in spec.fund_split:
            price, _ = latest_price(uow, fund_code, due)
            units[fund_code] = units.get(fund_code, Decimal(0)) + (invested * share / price).quantize(Decimal("0.000001"))
    for fund_code, count in units.items():
        uow.session.add(FundHolding(policy_id=policy.id, fund_code=fund_code, units=count))
