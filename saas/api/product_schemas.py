"""The products and quotes API, as marshmallow schemas (serialisation and OpenAPI in one).
Class names are unique across the API: apispec names nested components after them."""
from __future__ import annotations

from marshmallow import Schema, fields

from saas.api.schemas import DECIMAL_TEXT, Money


def DescribedMoney(description: str, **kwargs) -> fields.Decimal:  # noqa: N802  (reads like a field class)
    return fields.Decimal(as_string=True, places=2, metadata={**DECIMAL_TEXT, "description": f"CNY. {description}"}, **kwargs)


class OfferedChoice(Schema):
    value = fields.String(required=True, metadata={"description": "What to send in a quote request."})
    label = fields.String(required=True, metadata={"description": "In the caller's language."})


class IssueAges(Schema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)


class SumAssuredRange(Schema):
    min = Money(required=True)
    max = Money(required=True)


class OfferedDividendOption(OfferedChoice):
    explanation = fields.String(required=True)


class SurvivalBenefitTerms(Schema):
    every_years = fields.Integer(required=True)
    share_of_sum_assured = fields.Decimal(as_string=True, required=True, metadata={"type": "string", "format": "decimal"})
    maturity_share = fields.Decimal(as_string=True, required=True, metadata={"type": "string", "format": "decimal"})
    description = fields.String(required=True, metadata={"description": "The schedule in words, in the caller's language."})


class OfferedFund(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    risk = fields.String(required=True, metadata={"enum": ["low", "medium", "high"]})
    risk_label = fields.String(required=True)


class ProductOnSale(Schema):
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    category = fields.String(required=True)
    category_label = fields.String(required=True)
    participating = fields.Boolean(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    issue_ages = fields.Nested(IssueAges, required=True, metadata={"description": "Age last birthday when cover starts."})
    max_age_at_expiry = fields.Integer(allow_none=True)
    terms = fields.List(fields.Nested(OfferedChoice), required=True, metadata={"description": "An empty value: whole life."})
    premium_terms = fields.List(fields.Nested(OfferedChoice), required=True)
    modes = fields.List(fields.Nested(OfferedChoice), required=True)
    sum_assured = fields.Nested(SumAssuredRange, required=True)


class ProductDetail(ProductOnSale):
    dividend_options = fields.List(fields.Nested(OfferedDividendOption), required=True)
    survival_benefits = fields.Nested(SurvivalBenefitTerms, allow_none=True)
    funds = fields.List(fields.Nested(OfferedFund), required=True)
    loan_share = fields.Decimal(as_string=True, required=True, metadata={
        "type": "string", "format": "decimal", "description": "Share of the cash value that can be borrowed; 0: no loans."})


class ProductList(Schema):
    currency = fields.String(required=True)
    products = fields.List(fields.Nested(ProductOnSale), required=True)


_TEXT_OR_NUMBER = {"oneOf": [{"type": "string"}, {"type": "number"}]}


class QuoteInput(Schema):
    """Documentation only: every value is read as text and checked by the quote service."""

    product = fields.String(required=True, metadata={"example": "WLPAR"})
    sex = fields.String(required=True, metadata={"enum": ["M", "F"]})
    age = fields.Raw(metadata={**_TEXT_OR_NUMBER, "description": "Age last birthday; or give birth_date."})
    birth_date = fields.Date(metadata={"description": "Instead of age (it wins when both are given)."})
    sum_assured = fields.Raw(required=True, metadata={**_TEXT_OR_NUMBER, "description": "Yuan, in steps of 1,000."})
    term = fields.Raw(metadata={**_TEXT_OR_NUMBER, "description": "Years of cover; omit for whole-life products."})
    premium_term = fields.Raw(metadata={**_TEXT_OR_NUMBER, "description": "Years, 'term' or 'to_age_60'."})
    mode = fields.String(required=True, metadata={"enum": ["annual", "semi_annual", "quarterly", "monthly", "single"]})


class QuotedPremium(Schema):
    per_payment = Money(required=True)
    payments_per_year = fields.Integer(required=True, metadata={"description": "0: a single premium."})
    per_year = DescribedMoney("The single premium itself when there is one.", required=True)
    annual_mode = DescribedMoney("What paying once a year would cost a year.", required=True)


class IllustrationLine(Schema):
    policy_year = fields.Integer(required=True)
    age = fields.Integer(required=True)
    premiums_paid = Money(required=True)
    cash_value = DescribedMoney("Guaranteed, at the end of the policy year.", required=True)


class QuotedBenefit(Schema):
    policy_year = fields.Integer(required=True)
    age = fields.Integer(required=True)
    amount = Money(required=True)
    kind = fields.String(required=True, metadata={"enum": ["survival", "maturity"]})


class QuotedProduct(Schema):
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.String(required=True)


class Quote(Schema):
    product = fields.Nested(QuotedProduct, required=True)
    currency = fields.String(required=True)
    sex = fields.String(required=True)
    age = fields.Integer(required=True)
    sum_assured = Money(required=True)
    term = fields.Integer(allow_none=True, metadata={"description": "Years of cover; null: whole life."})
    premium_years = fields.Integer(required=True, metadata={"description": "0: a single premium."})
    mode = fields.String(required=True)
    premium = fields.Nested(QuotedPremium, required=True)
    total_premiums = Money(required=True)
    illustration = fields.List(fields.Nested(IllustrationLine), required=True, metadata={
        "description": "Empty for unit-linked products, whose values depend on the funds."})
    survival_benefits = fields.List(fields.Nested(QuotedBenefit), required=True)


class QuoteErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In the caller's language; names the limit broken."})
    field = fields.String(allow_none=True, metadata={"description": "The input at fault, if one is."})


class QuoteError(Schema):
    error = fields.Nested(QuoteErrorDetail, required=True)
