"""An e-mail address for the online account, confirmed by a link sent to it: until the link
is followed it waits in ``pending_email`` and is used for nothing (no sign-in, no reset link)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.errors import N_, InvalidInput
from paas.security import codes
from paas.security.models import Account
from paas.security.sessions import principal_of

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CONFIRM_PATH = "/account/email/confirm"
CONFIRM_TEXT = N_("Please confirm the e-mail address for your Pinghe Life online account by opening this link "
                  "within 24 hours: %(url)s . If you did not ask for this, ignore this message.")
CONFIRM_SUBJECT = N_("Confirm your e-mail address")
TAKEN = N_("This e-mail address cannot be used for your account. Please give another one.")
LINK_INVALID = N_("This link is not valid any more. Ask for a new one on your account page.")


def ask_confirmation(uow: "UnitOfWork", account: Account, email: str) -> None:
    if uow.session.scalar(select(Account.id).where(Account.email == email, Account.id != account.id)):
        raise InvalidInput(TAKEN, field="email")
    account.pending_email = email
    codes.send_link(uow, codes.CONFIRM_EMAIL, email, account.locale, path=CONFIRM_PATH, text=CONFIRM_TEXT,
                    subject=CONFIRM_SUBJECT, customer_id=account.customer_id, account_id=account.id)
    chain.record(uow, principal_of(account).actor, "account.email_link_sent", subject=f"account:{account.id}")


def confirm(uow: "UnitOfWork", handle: str, token: str) -> Account:
    try:
        row = codes.check(uow, codes.CONFIRM_EMAIL, handle, token, field=None)
    except InvalidInput:
        raise InvalidInput(LINK_INVALID) from None
    account = uow.session.get(Account, row.account_id, with_for_update=True)
    if account is None or account.pending_email != row.sent_to or uow.session.scalar(
            select(Account.id).where(Account.email == row.sent_to, Account.id != account.id)):
        raise InvalidInput(LINK_INVALID)
    account.email, account.pending_email = row.sent_to, None
    chain.record(uow, principal_of(account).actor, "account.email_confirmed", subject=f"account:{account.id}")
    return account
