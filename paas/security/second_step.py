"""The second step of a policyholder's sign-in when their authenticator app is on: the app's
code, or one of the recovery codes. Five tries per first step, and each counts against the
sign-in limits of the account and the address, as a wrong password does."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.errors import InvalidInput
from paas.security import codes, customer_totp
from paas.security.login import SignedIn, _reserve_attempt, open_signed_in
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def finish(uow: "UnitOfWork", handle: str, code: str, *, address: str, user_agent: str | None) -> SignedIn:
    row = codes.pending(uow, codes.SECOND_STEP, handle)
    if row is None or row.attempts >= codes.MAX_ATTEMPTS:
        raise InvalidInput(customer_totp.WRONG_CODE, field="code")
    _reserve_attempt(uow, row.sent_to, address)
    account = uow.session.execute(select(Account).where(Account.id == row.account_id).with_for_update()).scalar_one()
    if not account.is_active or not customer_totp.accepts(uow, account, code):
        codes.count_miss(uow, row)
        chain.record(uow, Actor("anonymous", None, "anonymous"), "login.failed", subject=f"account:{account.id}",
                     detail={"reason": "totp"}, address=address)
        raise InvalidInput(customer_totp.WRONG_CODE, field="code")
    row.used_at = uow.clock.now()
    policy, limiter = uow.platform.security, uow.platform.rate_limiter
    limiter.reset(policy.login_limit_per_account, "login-account", row.sent_to)
    limiter.refund(policy.login_limit_per_address, "login-address", address)
    return open_signed_in(uow, account, address=address, user_agent=user_agent, second_step_done=True)
