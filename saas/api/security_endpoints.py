"""Safety for the signed-in policyholder through the API: their bank accounts (remove one that
nothing uses), payouts held for a new payee (cancel with DELETE /requests/{reference}), and the
freeze of online money movements. Changes need the CSRF token in ``X-CSRFToken``."""
from __future__ import annotations

from dataclasses import asdict

from flask import jsonify

from paas.customers import bank_accounts
from paas.customers.models import Customer
from paas.security import freeze
from paas.servicing.payee_hold import held_requests
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.api.security_schemas import BankAccountList, HeldPayoutList, MoneyFreeze, RemovedBankAccount
from saas.api.servicing_views import request_data
from saas.transaction import read_only, uow


def _customer() -> Customer:
    return uow().session.get(Customer, _policyholder().customer_id)


@blueprint.get("/bank-accounts")
@read_only
def bank_account_list():
    lines = bank_accounts.bank_account_lines(uow(), _customer())
    return jsonify(BankAccountList().dump({"bank_accounts": [asdict(line) for line in lines]}))


@blueprint.delete("/bank-accounts/<int:position>")
@reports_invalid_input
def remove_bank_account(position: int):
    removed = bank_accounts.remove_own(uow(), _policyholder(), position)
    return jsonify(RemovedBankAccount().dump({"removed": removed}))


@blueprint.get("/held-payouts")
@read_only
def held_payouts():
    lines = held_requests(uow(), customer_id=_policyholder().customer_id)
    return jsonify(HeldPayoutList().dump({"requests": [request_data(line) for line in lines]}))


@blueprint.get("/money-freeze")
@read_only
def money_freeze():
    customer = _customer()
    return jsonify(MoneyFreeze().dump({"frozen": freeze.is_frozen(customer), "frozen_at": customer.money_frozen_at}))


@blueprint.post("/money-freeze")
def freeze_money():
    customer = freeze.freeze(uow(), _policyholder())
    return jsonify(MoneyFreeze().dump({"frozen": True, "frozen_at": customer.money_frozen_at}))
