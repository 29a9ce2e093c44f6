"""API schemas for premiums due and online payments."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from saas.api.schemas import Money


class DueInReview(Schema):
    reference = fields.String(required=True, metadata={"description": "The payment we are checking."})
    amount = Money(required=True)
    paid_on = fields.Date(required=True)
    contact_by = fields.Date(required=True, metadata={"description": "We tell the customer the outcome by this day."})
    message = fields.String(required=True, metadata={"description": "In the caller's language."})


class DueLine(Schema):
    policy_number = fields.String(required=True)
    product_name = fields.String(required=True, metadata={"description": "In the caller's language."})
    due_date = fields.Date(required=True)
    amount = Money(required=True)
    grace_ends = fields.Date(required=True, metadata={"description": "Last day of cover without payment."})
    lapses_on = fields.Date(required=True, metadata={"description": "The policy lapses on this day if still unpaid."})
    overdue = fields.Boolean(required=True)
    in_payment = fields.String(allow_none=True, metadata={"description": "Reference of a payment already paying it."})
    in_review = fields.Nested(DueInReview, allow_none=True, metadata={
        "description": "A payment of it that we are checking: it need not, and cannot, be paid again meanwhile."})


class DueList(Schema):
    currency = fields.String(required=True)
    dues = fields.List(fields.Nested(DueLine), required=True)


class DueChoice(Schema):
    class Meta:
        unknown = RAISE

    policy_number = fields.String(required=True, metadata={"maxLength": 32})
    due_date = fields.Date(required=True)


class PaymentInput(Schema):
    """Which dues to pay: of each policy the oldest open ones, in order."""

    class Meta:
        unknown = RAISE

    dues = fields.List(fields.Nested(DueChoice), required=True, metadata={"minItems": 1, "maxItems": 24})


class PaymentPremium(Schema):
    policy_number = fields.String(required=True)
    due_date = fields.Date(required=True)
    amount = Money(required=True)
    credited = fields.Boolean(required=True)
    paid_to = fields.Date(allow_none=True, metadata={"description": "The policy's paid-to date once this premium was credited."})


class Payment(Schema):
    reference = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["pending", "succeeded", "failed", "expired", "needs_review", "partially_refunded", "refunded"]})
    status_label = fields.String(required=True, metadata={"description": "In the caller's language."})
    amount = Money(required=True)
    currency = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    paid_at = fields.DateTime(allow_none=True)
    failure_message = fields.String(allow_none=True, metadata={"description": "Why it was not paid, in the caller's language."})
    refunded_amount = Money(required=True)
    checkout_url = fields.String(allow_none=True, metadata={"description": "While pending: the provider's payment page."})
    premiums = fields.List(fields.Nested(PaymentPremium), required=True)


class PaymentList(Schema):
    payments = fields.List(fields.Nested(Payment), required=True)
