"""What the API returns, as marshmallow schemas: they serialise the responses and, through
apispec, describe them in the OpenAPI document, so the two cannot drift apart."""
from __future__ import annotations

from marshmallow import Schema, fields

DECIMAL_TEXT = {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$"}


def Money(**kwargs) -> fields.Decimal:  # noqa: N802  (reads like a field class)
    """Yuan to the fen, as a string: JSON numbers are floats to most clients."""
    return fields.Decimal(as_string=True, places=2, metadata={**DECIMAL_TEXT, "description": "CNY"}, **kwargs)


class ErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In the caller's language."})


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)


class Me(Schema):
    display_name = fields.String(required=True)
    locale = fields.String(required=True)
    csrf_token = fields.String(required=True, metadata={
        "description": "Send it in the X-CSRFToken header with every POST, PATCH and DELETE."})


class Valuation(Schema):
    on = fields.Date(required=True, metadata={"description": "The date the values are for (today)."})
    policy_year = fields.Integer(required=True)
    cash_value = Money(required=True)
    debt = Money(required=True)
    net_cash_value = Money(required=True)
    loan_maximum = Money(required=True)
    paid_up_sum_assured = Money(required=True)
    dividends_held = Money(required=True)
    survival_benefits_held = Money(required=True)
    fund_value = Money(allow_none=True)


class PolicySummary(Schema):
    policy_number = fields.String(required=True)
    product_code = fields.String(required=True)
    product_name = fields.String(required=True)
    insured_name = fields.String(required=True)
    status = fields.String(required=True)
    sum_assured = Money(required=True)
    modal_premium = Money(required=True)
    premium_mode = fields.String(required=True)
    annual_premium = Money(required=True)
    next_due_date = fields.Date(allow_none=True)
    values = fields.Nested(Valuation, required=True, attribute="valuation")


class Totals(Schema):
    policies_in_force = fields.Integer(required=True)
    total_cover = Money(required=True)
    total_annual_premium = Money(required=True)
    total_cash_value = Money(required=True)
    total_accumulated = Money(required=True)
    total_debt = Money(required=True)


class PolicyList(Schema):
    currency = fields.String(required=True)
    policies = fields.List(fields.Nested(PolicySummary), required=True)
    totals = fields.Nested(Totals, required=True)


class Party(Schema):
    name = fields.String(required=True)
    gender = fields.String(required=True)
    birth_date = fields.Date(required=True)
    id_number_masked = fields.String(required=True)


class Beneficiary(Schema):
    name = fields.String(required=True)
    relationship = fields.String(required=True)
    rank = fields.Integer(required=True)
    share = fields.Decimal(
        as_string=True, places=2, required=True, metadata={**DECIMAL_TEXT, "description": "Percent within the rank."}
    )


class Premium(Schema):
    due_date = fields.Date(required=True)
    amount = Money(required=True)
    paid_on = fields.Date(required=True)
    channel = fields.String(required=True)


class Dividend(Schema):
    policy_year = fields.Integer(required=True)
    declared_on = fields.Date(required=True)
    amount = Money(required=True)
    option = fields.String(required=True)


class ScheduledBenefit(Schema):
    due_on = fields.Date(required=True)
    amount = Money(required=True)
    kind = fields.String(required=True, metadata={"description": "survival or maturity"})


class FundPosition(Schema):
    fund_code = fields.String(required=True)
    name = fields.String(required=True)
    risk = fields.String(required=True)
    units = fields.Decimal(as_string=True, places=6, required=True, metadata={"type": "string", "format": "decimal"})
    price = fields.Decimal(as_string=True, places=4, allow_none=True, metadata={"type": "string", "format": "decimal"})
    price_date = fields.Date(allow_none=True)
    value = Money(required=True)


class PolicyDetail(Schema):
    policy = fields.Nested(PolicySummary, required=True)
    currency = fields.String(required=True)
    issue_date = fields.Date(required=True)
    expiry_date = fields.Date(allow_none=True)
    premium_end_date = fields.Date(allow_none=True)
    paid_to_date = fields.Date(required=True)
    owner = fields.Nested(Party, required=True)
    insured = fields.Nested(Party, required=True)
    beneficiaries = fields.List(fields.Nested(Beneficiary), required=True)
    premiums = fields.List(fields.Nested(Premium), required=True)
    total_premiums_paid = Money(required=True)
    dividend_option = fields.String(allow_none=True)
    dividends = fields.List(fields.Nested(Dividend), required=True)
    survival_benefits = fields.List(fields.Nested(ScheduledBenefit), required=True)
    funds = fields.List(fields.Nested(FundPosition), required=True)
