"""Response schemas of the safety endpoints: bank accounts, held payouts, the freeze."""
from __future__ import annotations

from marshmallow import Schema, fields

from saas.api.servicing_schemas import ServiceRequest


class BankAccount(Schema):
    position = fields.Integer(required=True, metadata={"description": "Its place in the list, as payout choices name it."})
    bank_name = fields.String(required=True)
    number_masked = fields.String(required=True)
    added_at = fields.DateTime(required=True)
    verified = fields.Boolean(required=True, metadata={
        "description": "False for an account added lately online: payouts to it are held for a while."})


class BankAccountList(Schema):
    bank_accounts = fields.List(fields.Nested(BankAccount), required=True)


class RemovedBankAccount(Schema):
    removed = fields.String(required=True, metadata={"description": "The account removed, masked."})


class MoneyFreeze(Schema):
    frozen = fields.Boolean(required=True)
    frozen_at = fields.DateTime(allow_none=True)


class HeldPayoutList(Schema):
    requests = fields.List(fields.Nested(ServiceRequest), required=True)
