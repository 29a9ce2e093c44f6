"""How a customer wants each type of notice: by e-mail, SMS and/or paper. A choice per type and
channel overrides the customer's general choice (``Customer.notice_by_*``, the servicing
transaction 110/189); the law overrides both for the legally required notices (lapse, claim
decision), which go by every electronic channel on file. Every notice stays in the inbox
whatever is chosen; a letter with no way to reach the customer electronically goes on paper."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.errors import N_, InvalidInput
from paas.insert_once import insert_ignoring_duplicates
from paas.notices.models import NoticePreference
from paas.notices.types import NoticeType, all_types

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork

EMAIL, SMS, PAPER = "email", "sms", "paper"
CHANNELS = (EMAIL, SMS, PAPER)
CHANNEL_LABELS = {EMAIL: N_("E-mail"), SMS: N_("SMS"), PAPER: N_("Paper letter")}
NO_EMAIL = N_("Add an e-mail address first.")
NO_MOBILE = N_("Add a mobile number first.")
NO_ADDRESS = N_("Add a postal address first.")

Choices = Mapping[tuple[str, str], bool]  # (notice type, channel) -> wanted


def general_choice(customer: "Customer", channel: str) -> bool:
    return {EMAIL: customer.notice_by_email, SMS: customer.notice_by_sms, PAPER: customer.notice_on_paper}[channel]


def reachable(customer: "Customer", channel: str) -> bool:
    return bool({EMAIL: customer.email, SMS: customer.mobile, PAPER: customer.address}[channel])


def channels_for(customer: "Customer", notice_type: NoticeType, choices: Choices) -> tuple[str, ...]:
    """The channels a notice of this type goes by, for this customer."""
    def wanted(channel: str) -> bool:
        return choices.get((notice_type.code, channel), general_choice(customer, channel))

    always = notice_type.legally_required or notice_type.security
    electronic = [c for c in (EMAIL, SMS) if reachable(customer, c) and (always or wanted(c))]
    if not notice_type.has_letter:
        return tuple(electronic)
    paper = reachable(customer, PAPER) and (wanted(PAPER) or not electronic and notice_type.legally_required)
    return tuple(electronic + ([PAPER] if paper else []))


def choices_of(uow: "UnitOfWork", customer_id: int) -> dict[tuple[str, str], bool]:
    rows = uow.session.execute(select(NoticePreference.notice_type, NoticePreference.channel, NoticePreference.wanted)
                               .where(NoticePreference.customer_id == customer_id))
    return {(notice_type, channel): wanted for notice_type, channel, wanted in rows}


@dataclass(frozen=True)
class PreferenceCell:
    channel: str
    wanted: bool
    locked: bool  # the law decides (legally required), or the channel does not apply
    available: bool  # the customer has this contact on file


@dataclass(frozen=True)
class PreferenceRow:
    notice_type: NoticeType
    cells: tuple[PreferenceCell, ...]


def preference_sheet(uow: "UnitOfWork", customer: "Customer") -> list[PreferenceRow]:
    """Every notice type with, per channel, what goes and whether the customer can change it."""
    choices = choices_of(uow, customer.id)
    rows = []
    for notice_type in all_types():
        going = channels_for(customer, notice_type, choices)
        cells = []
        for channel in CHANNELS:
            applies = channel != PAPER or notice_type.has_letter
            locked = not applies or ((notice_type.legally_required or notice_type.security) and channel != PAPER)
            cells.append(PreferenceCell(channel, channel in going, locked, applies and reachable(customer, channel)))
        rows.append(PreferenceRow(notice_type, tuple(cells)))
    return rows


def set_preferences(uow: "UnitOfWork", who: "Principal", customer: "Customer", wanted: set[tuple[str, str]]) -> int:
    """Store the customer's choice for every changeable (type, channel): ticked if in ``wanted``.
    Returns how many choices changed. A channel without its contact on file cannot be ticked."""
    current = {(row.notice_type.code, cell.channel): cell for row in preference_sheet(uow, customer) for cell in row.cells}
    unknown = wanted - set(current)
    if unknown:
        raise InvalidInput(N_("There is no such notice choice."), field="preferences")
    for (code, channel), cell in current.items():
        if (code, channel) in wanted and not cell.locked and not cell.available:
            raise InvalidInput({EMAIL: NO_EMAIL, SMS: NO_MOBILE, PAPER: NO_ADDRESS}[channel], field=f"{code}.{channel}")
    now, changed = uow.clock.now(), 0
    stored = choices_of(uow, customer.id)
    for (code, channel), cell in current.items():
        if cell.locked:
            continue
        choice = (code, channel) in wanted
        if stored.get((code, channel), general_choice(customer, channel)) == choice and (code, channel) not in stored:
            continue
        if stored.get((code, channel)) == choice:
            continue
        _store(uow, customer.id, code, channel, choice, now)
        changed += 1
    if changed:
        chain.record(uow, who.actor, "notices.preferences_changed", subject=f"customer:{customer.customer_number}",
                     detail={"changed": changed})
    return changed


def _store(uow: "UnitOfWork", customer_id: int, code: str, channel: str, choice: bool, now) -> None:
    existing = uow.session.scalar(select(NoticePreference).where(
        NoticePreference.customer_id == customer_id, NoticePreference.notice_type == code,
        NoticePreference.channel == channel))
    if existing is not None:
        existing.wanted, existing.updated_at = choice, now
        return
    dialect = uow.session.get_bind().dialect.name
    uow.session.execute(insert_ignoring_duplicates(dialect, NoticePreference).values(
        customer_id=customer_id, notice_type=code, channel=channel, wanted=choice, updated_at=now).on_conflict_do_nothing())
