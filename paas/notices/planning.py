"""Which deliveries a new notice gets: one row per channel the preferences (and the law) name,
due at once. Planned in the notice's transaction; sent only once it is committed."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.models import Customer
from paas.notices.bulk_insert import among, insert_new
from paas.notices.models import Notice, NoticeDelivery, NoticePreference
from paas.notices.preferences import EMAIL, SMS, channels_for
from paas.notices.types import notice_type

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# What channels_for reads of a customer (not the whole row: the cycle plans 100,000 at a time).
CONTACT = (Customer.id, Customer.email, Customer.mobile, Customer.address, Customer.notice_by_email,
           Customer.notice_by_sms, Customer.notice_on_paper)


def plan_deliveries(session: "Session", notice_ids: list[int], now) -> int:
    """Insert the deliveries of these notices (none twice); returns how many rows were planned."""
    if not notice_ids:
        return 0
    notices = session.execute(select(Notice.id, Notice.notice_type, *CONTACT)
                              .join(Customer, Customer.id == Notice.customer_id)
                              .where(among(session, Notice.id, notice_ids))).all()
    customers = {notice.id_1 for notice in notices}
    choices: dict[int, dict] = defaultdict(dict)
    for customer_id, code, channel, wanted in session.execute(
            select(NoticePreference.customer_id, NoticePreference.notice_type, NoticePreference.channel,
                   NoticePreference.wanted).where(among(session, NoticePreference.customer_id, sorted(customers)))):
        choices[customer_id][(code, channel)] = wanted
    rows = []
    for row in notices:  # the notice's id and type, then its customer's contact columns (id_1: the customer's id)
        for channel in channels_for(row, notice_type(row.notice_type), choices[row.id_1]):
            recipient = {EMAIL: row.email, SMS: row.mobile}.get(channel)
            rows.append({"notice_id": row.id, "channel": channel, "recipient": recipient, "status": "pending",
                         "attempts": 0, "next_attempt_at": now})
    insert_new(session, NoticeDelivery, rows)
    return len(rows)


def plan_to(session: "Session", notice_id: int, recipients: Mapping[str, str | None], now) -> list[int]:
    """The deliveries of one notice to the recipients a rule names instead of the contacts on
    file (a change of contact is told to the contacts BEFORE it): one per channel with a
    recipient, none twice. Returns the ids of the rows planned now."""
    rows = [{"notice_id": notice_id, "channel": channel, "recipient": recipient, "status": "pending",
             "attempts": 0, "next_attempt_at": now}
            for channel, recipient in recipients.items() if channel in (EMAIL, SMS) and recipient]
    return insert_new(session, NoticeDelivery, rows)
