"""API schemas for external accounts and net worth. Request fields are JSON strings (amounts
too, as in every response). Bodies are loaded as partial: a missing field reaches the
service as blank and gets the service's own message; type errors carry keys that
``external_account_endpoints`` turns into messages in the caller's language."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from saas.api.schemas import DECIMAL_TEXT, Money

WRONG_TYPE, UNKNOWN = "wrong_type", "unknown"
_TEXT_ERRORS = {"invalid": WRONG_TYPE, "null": WRONG_TYPE}


def _money(description: str) -> fields.Decimal:
    return fields.Decimal(as_string=True, places=2, required=True, metadata={**DECIMAL_TEXT, "description": description})


def _text(description: str, *, required: bool = True, **metadata) -> fields.String:
    return fields.String(required=required, error_messages=_TEXT_ERRORS,
                         metadata={"description": description, **metadata})


class ExternalAccountInput(Schema):
    """The body of POST (all required but institution) and PATCH (any subset)."""

    error_messages = {"unknown": UNKNOWN, "type": WRONG_TYPE}

    class Meta:
        unknown = RAISE

    name = _text("1 to 60 characters.", maxLength=60)
    kind = _text("One of bank, securities, fund, pension, other.", enum=["bank", "securities", "fund", "pension", "other"])
    institution = fields.String(
        required=False, allow_none=True, error_messages=_TEXT_ERRORS,
        metadata={"description": "Where the account is held; optional, at most 60 characters.", "maxLength": 60},
    )
    balance = _text("CNY, zero or more, at most two decimals, at most 999999999999.99.",
                    pattern=r"^\d{1,12}(\.\d{1,2})?$")
    as_of = _text("The date of the balance, not in the future nor before 1990-01-01.", format="date")


class ExternalAccount(Schema):
    reference = fields.String(required=True, metadata={"description": "Names the account in URLs."})
    name = fields.String(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True, metadata={"description": "In the caller's language."})
    institution = fields.String(allow_none=True)
    balance = Money(required=True)
    as_of = fields.Date(required=True)
    updated_at = fields.DateTime(required=True)


class ExternalAccountList(Schema):
    currency = fields.String(required=True)
    limit = fields.Integer(required=True, metadata={"description": "How many accounts a customer may keep."})
    accounts = fields.List(fields.Nested(ExternalAccount), required=True)


class AllocationSlice(Schema):
    category = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "In the caller's language."})
    amount = Money(required=True)
    percent = fields.Decimal(as_string=True, places=1, required=True, metadata={
        **DECIMAL_TEXT, "pattern": r"^\d+\.\d$", "description": "Share of total assets; the shares add up to 100.0."})


class NetWorth(Schema):
    currency = fields.String(required=True)
    total_assets = Money(required=True)
    insurance_cash_value = Money(required=True)
    insurance_accumulated = _money("Dividends and survival benefits left with the insurer, CNY.")
    insurance_debt = _money("Policy loans with interest, CNY.")
    net_worth = _money("Total assets less policy loans, CNY.")
    allocation = fields.List(fields.Nested(AllocationSlice), required=True)


class FieldErrorDetail(Schema):
    field = fields.String(allow_none=True)
    message = fields.String(required=True)


class InputErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In the caller's language."})
    field = fields.String(allow_none=True, metadata={"description": "The field at fault, if one is."})
    errors = fields.List(fields.Nested(FieldErrorDetail), metadata={
        "description": "Every field at fault at once (the first is ``field`` and ``message``)."})
    attempts_left = fields.Integer(metadata={"description": "A wrong confirmation code: how many more may be tried."})


class InputError(Schema):
    error = fields.Nested(InputErrorDetail, required=True)
