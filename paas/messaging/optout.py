"""The SMS opt-out list (STOP / TD / 退订 until START / 订阅). It is checked when a message is
SENT, not when it is queued: a notice queued yesterday for a number that opted out this
morning stays unsent. A legally required message (a lapse notice, a code or a security
alert the customer's own action caused) still goes: the law or the customer's safety
outranks the preference."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from paas.messaging.sms_models import SmsOptOut
from paas.security.roles import CLERK, SUPERVISOR

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# Outbox kinds that are sent to an opted-out number all the same: one-time codes the sender
# asked for, the reply to their own message, security alerts and lapse notices.
ALWAYS_SENT_PREFIXES = ("servicing_code", "servicing_contact_code", "sms_reply", "alert_", "login_locked",
                        "notice_lapse")


# Who answers customers about their SMS: the simulator and the opt-out list are theirs.
SMS_DESK_ROLES = (CLERK, SUPERVISOR)


def legally_required_kind(kind: str) -> bool:
    return kind.startswith(ALWAYS_SENT_PREFIXES)


def suppressed(uow: "UnitOfWork", mobile: str | None, legally_required: bool,
               opted_out: frozenset[str] | None = None) -> bool:
    """Whether an SMS to ``mobile`` must not be sent now. ``opted_out``: what ``opted_out_among``
    answered for a batch this number is in (else it is looked up alone)."""
    if legally_required or not mobile:
        return False
    if opted_out is not None:
        return mobile in opted_out
    row = uow.session.get(SmsOptOut, mobile)
    return row is not None and row.opted_in_at is None


def opted_out_among(uow: "UnitOfWork", mobiles: set[str]) -> frozenset[str]:
    """Those of ``mobiles`` on the list now: one look for a batch of sends."""
    if not mobiles:
        return frozenset()
    return frozenset(uow.session.scalars(_OPTED_OUT_AMONG, {"mobiles": sorted(mobiles)}))


# Built once: asked at every delivery run (a statement built anew has its cache key worked out anew).
_OPTED_OUT_AMONG = select(SmsOptOut.mobile).where(SmsOptOut.mobile.in_(bindparam("mobiles", expanding=True)),
                                                  SmsOptOut.opted_in_at.is_(None))


def opt_out(uow: "UnitOfWork", mobile: str, *, source: str = "sms") -> bool:
    """Put ``mobile`` on the list; False when it was on it already."""
    row = uow.session.get(SmsOptOut, mobile, with_for_update=True)
    now = uow.clock.now()
    if row is None:
        uow.session.add(SmsOptOut(mobile=mobile, opted_out_at=now, opted_in_at=None, source=source))
        uow.session.flush()
        return True
    if row.opted_in_at is None:
        return False
    row.opted_out_at, row.opted_in_at, row.source = now, None, source
    return True


def opt_in(uow: "UnitOfWork", mobile: str) -> bool:
    """Take ``mobile`` off the list; False when it was not on it."""
    row = uow.session.get(SmsOptOut, mobile, with_for_update=True)
    if row is None or row.opted_in_at is not None:
        return False
    row.opted_in_at = uow.clock.now()
    return True


@dataclass(frozen=True)
class OptOutLine:
    mobile_masked: str
    opted_out_at: datetime
    opted_in_at: datetime | None
    source: str

    @property
    def active(self) -> bool:
        return self.opted_in_at is None


def opt_out_list(uow: "UnitOfWork", *, limit: int = 200) -> list[OptOutLine]:
    from paas.customers.masking import mask_mobile

    rows = uow.session.scalars(select(SmsOptOut).order_by(SmsOptOut.opted_out_at.desc()).limit(limit))
    return [OptOutLine(mask_mobile(r.mobile), r.opted_out_at, r.opted_in_at, r.source) for r in rows]
