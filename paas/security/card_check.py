"""Verifying a bank card online (the second half of Transact): the bank's four-element check
of the name and ID number on file, the card typed, and the mobile on file. A card that passes
is added to the customer's accounts as verified (payouts to it are not held) and the account
can transact; the customer's contacts are told. Tries are limited per account."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from iaas.payments import AccountCheck, PaymentProviderError
from paas.audit import chain
from paas.customers.models import BankAccount, Customer
from paas.customers.registry import BANK_ACCOUNT_CONTEXT, ID_NUMBER_CONTEXT, account_digits, add_bank_account
from paas.customers.masking import mask_account_number
from paas.errors import N_, InvalidInput, NotPermitted, ServiceUnavailable, TooManyAttempts
from paas.security import alerts
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CARD_CHECK_LIMIT = "5 per day"
REFUSED = {
    "mismatch": N_("The bank says this card is not held in your name with your ID number and the mobile on file."),
    "card_blocked": N_("The bank says this card cannot be used. Please use another card or ask your bank."),
    "unknown_card": N_("The bank could not check this card. Please check the number or use another card."),
}
TOO_MANY = N_("Too many card checks today. Please try again tomorrow or visit a service counter.")
UNAVAILABLE = N_("The bank's check is not available just now. Nothing was changed; please try again later.")
NO_MOBILE = N_("We have no mobile number on file to check the card with. Please call 95500 or visit a service counter.")
POLICYHOLDERS_ONLY = N_("Only a policyholder verifies their own bank card.")


def verify_card(uow: "UnitOfWork", who: Principal, card_number: str) -> BankAccount:
    if not who.is_policyholder:
        raise NotPermitted(POLICYHOLDERS_ONLY)
    digits = account_digits(card_number or "")
    limiter = uow.platform.rate_limiter
    if limiter.reserve(CARD_CHECK_LIMIT, "card-check", str(who.account_id)) is None:
        raise TooManyAttempts(TOO_MANY, retry_after=limiter.retry_after(CARD_CHECK_LIMIT, "card-check", str(who.account_id)))
    customer = uow.session.get(Customer, who.customer_id, with_for_update=True)
    if not customer.mobile:
        raise NotPermitted(NO_MOBILE)
    id_number = uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)
    gateway = uow.platform.payments
    try:
        if gateway is None:
            raise PaymentProviderError("no payment provider configured")
        answer = gateway.verify_bank_account(AccountCheck(customer.name, id_number, digits, customer.mobile))
    except PaymentProviderError as exc:
        raise ServiceUnavailable(UNAVAILABLE) from exc
    masked = mask_account_number(digits)
    chain.record(uow, who.actor, "card.checked", subject=f"customer:{customer.id}",
                 detail={"card": masked, "verified": answer.verified, "reason": answer.reason})
    if not answer.verified:
        uow.commit()  # the try and its audit entry stay, whatever the answer shows
        raise InvalidInput(REFUSED.get(answer.reason or "", REFUSED["unknown_card"]), field="card_number")
    now = uow.clock.now()
    index = uow.keyring.blind_index(digits, context=BANK_ACCOUNT_CONTEXT)
    account = next((a for a in customer.bank_accounts if a.account_index == index), None)
    before = alerts.contacts_of(uow, customer)
    if account is None:
        account = add_bank_account(uow, customer, bank_name=answer.bank_name or "", account_number=digits, verified=True)
        alerts.alert(uow, customer, alerts.BANK_ACCOUNT_ADDED, contacts=before, account=masked)
    elif account.verified_at is None:
        account.verified_at = now  # proven now: payouts to it no longer wait
    login = uow.session.execute(select(Account).where(Account.id == who.account_id).with_for_update()).scalar_one()
    login.card_verified_at, login.card_verified_by = now, "four_elements"
    chain.record(uow, who.actor, "tier.transact", subject=f"account:{login.id}", detail={"card": masked})
    return account
