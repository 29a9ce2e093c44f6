"""Which deliveries a new notice gets: one row per channel the preferences (and the law) name,
due at once. Planned in the notice's transaction; sent only once it is committed.

The cycle plans a hundred thousand at a time, so the caller hands over what it already read
with the events (each customer's contact columns, ``Contact``) rather than each notice being
read back; only the customers' per-type choices are queried, one query per chunk. Customers
without such choices and with the same channels on file get the same answer: it is worked out
once per chunk for each such combination."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from paas.customers.models import Customer
from paas.notices.bulk_insert import among, insert_all, insert_new
from paas.notices.models import NoticeDelivery, NoticePreference
from paas.notices.preferences import EMAIL, SMS, channels_for
from paas.notices.types import notice_type

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# What channels_for reads of a customer (not the whole row), and whether they made any
# per-type choice: most never do, and their notices need no look at the choices.
CONTACT = (Customer.id, Customer.email, Customer.mobile, Customer.address, Customer.notice_by_email,
           Customer.notice_by_sms, Customer.notice_on_paper,
           select(NoticePreference.id).where(NoticePreference.customer_id == Customer.id).exists().label("has_choices"))


class Contact(NamedTuple):
    id: int
    email: str | None
    mobile: str | None
    address: str | None
    notice_by_email: bool
    notice_by_sms: bool
    notice_on_paper: bool
    has_choices: bool = True  # False: no per-type choice on file (read with the contact)


class NewNotice(NamedTuple):
    id: int
    notice_type: str
    contact: Contact


@lru_cache(maxsize=4)
def _choices_query(dialect: str):
    """The customers' per-type choices, built once per dialect (ids as ``customer_ids``)."""
    return (select(NoticePreference.customer_id, NoticePreference.notice_type, NoticePreference.channel,
                   NoticePreference.wanted).where(among(dialect, NoticePreference.customer_id, "customer_ids")))


def plan_deliveries(session: "Session", notices: Sequence[NewNotice], now) -> int:
    """Insert the deliveries of these notices, just made in this transaction (so none can have
    any yet: they are COPYed straight in); returns how many rows were planned."""
    if not notices:
        return 0
    choices: dict[int, dict] = defaultdict(dict)
    customers = sorted({notice.contact.id for notice in notices if notice.contact.has_choices})
    if customers:
        for customer_id, code, channel, wanted in session.execute(_choices_query(session.get_bind().dialect.name),
                                                                  {"customer_ids": customers}):
            choices[customer_id][(code, channel)] = wanted
    same_answer: dict[tuple, tuple[str, ...]] = {}
    rows = []
    for notice in notices:
        contact = notice.contact
        own = choices.get(contact.id)
        if own:
            channels = channels_for(contact, notice_type(notice.notice_type), own)
        else:
            key = (notice.notice_type, bool(contact.email), bool(contact.mobile), bool(contact.address),
                   contact.notice_by_email, contact.notice_by_sms, contact.notice_on_paper)
            channels = same_answer.get(key)
            if channels is None:
                channels = same_answer[key] = channels_for(contact, notice_type(notice.notice_type), {})
        for channel, recipient in _addressed(contact, channels):
            rows.append((notice.id, channel, recipient, "pending", 0, now))
    return insert_all(session, NoticeDelivery, DELIVERY_COLUMNS, rows)


DELIVERY_COLUMNS = ("notice_id", "channel", "recipient", "status", "attempts", "next_attempt_at")


def planned_without_choices(notice_type_code: str, contact: Contact) -> list[tuple[str, str | None]] | None:
    """The (channel, recipient) of each delivery ``plan_deliveries`` would plan for one notice,
    worked out before the notice is written - when its customer has no per-type choice to read
    (else None: the plan needs that query)."""
    if contact.has_choices:
        return None
    return _addressed(contact, channels_for(contact, notice_type(notice_type_code), {}))


def _addressed(contact: Contact, channels) -> list[tuple[str, str | None]]:
    return [(channel, contact.email if channel == EMAIL else contact.mobile if channel == SMS else None)
            for channel in channels]


def plan_to(session: "Session", notice_id: int, recipients: Mapping[str, str | None], now) -> list[int]:
    """The deliveries of one notice to the recipients a rule names instead of the contacts on
    file (a change of contact is told to the contacts BEFORE it): one per channel with a
    recipient, none twice. Returns the ids of the rows planned now."""
    rows = [{"notice_id": notice_id, "channel": channel, "recipient": recipient, "status": "pending",
             "attempts": 0, "next_attempt_at": now}
            for channel, recipient in recipients.items() if channel in (EMAIL, SMS) and recipient]
    return insert_new(session, NoticeDelivery, rows)
