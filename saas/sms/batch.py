"""Inbound SMS answered a batch at a time, as the queue reader takes them (up to ten a
receive). The query commands of a batch share one transaction: their records kept by one
insert, counted against each number's limit by one upsert, their senders found by one query,
what their commands read (asset sheets, dues) read ahead for all of them at once, their
replies written and queued by one statement each, one commit. A durable commit and the
fixed round trips are paid once a batch instead of once a message, and nothing is committed
until every message of it is answered: a crash before the commit leaves the whole batch on
the queue, and its ids make a redelivery of what did commit a no-op.

A command that changes something (WD and its code, PAY, STOP/START) is answered alone, in
its place in the order, exactly as ``channel.answer`` answers every message; so is a run of
queries again, one at a time, if anything unforeseen happens in it."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import TYPE_CHECKING


from paas.errors import DomainError
from paas.messaging.inbound import InboundSms
from paas.messaging.sms_intake import Taken, take_in
from paas.messaging import sms_records as records
from saas.sms.channel import answer, handle, normalise_sender, refusal, reply_to
from saas.sms.conversation import Conversation, Reads
from saas.sms.parser import ParsedSms, parse
from saas.sms.registry import command, keyword_map
from saas.sms.segments import fit

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def handle_batch(platform: "Platform", messages: Sequence[InboundSms]) -> list[str | None]:
    """Answer ``messages`` in order; each one's reply, or None where ``channel.handle`` would
    give None (answered before, a second copy in the batch, over the sender's limit)."""
    replies: list[str | None] = []
    for reads_only, run in _runs(messages):
        # A unit of work (and ORM session) per run of queries and per other command: what one
        # loaded is never taken as current by the next, which may lock and change the same
        # policy or request.
        if reads_only:
            with platform.unit_of_work() as uow:
                replies.extend(_answer_queries(uow, run))
        else:
            replies.extend(handle(platform, sms) for sms, _parsed in run)
    return replies


def _runs(messages: Sequence[InboundSms]) -> Iterator[tuple[bool, list[tuple[InboundSms, ParsedSms]]]]:
    """Consecutive messages grouped by whether their command only reads."""
    keywords = keyword_map()
    parsed = [(sms, parse(sms.body, keywords)) for sms in messages]
    for reads_only, run in groupby(parsed, key=lambda pair: _reads_only(pair[1])):
        yield reads_only, list(run)


def _reads_only(parsed: ParsedSms) -> bool:
    chosen = command(parsed.command)
    return chosen is None or chosen.reads_only  # an unknown command gets the help text


def _answer_queries(uow: "UnitOfWork", run: list[tuple[InboundSms, ParsedSms]]) -> list[str | None]:
    try:
        replies = _answer_together(uow, run)
        uow.commit()
        return replies
    except Exception:  # noqa: BLE001 - a sender's text must never break the channel
        log.exception("a batch of %d SMS queries failed together: answered one at a time", len(run))
        uow.rollback()
        return [answer(uow, sms) for sms, _parsed in run]


def _answer_together(uow: "UnitOfWork", run: list[tuple[InboundSms, ParsedSms]]) -> list[str | None]:
    """Every message of ``run`` answered in the caller's transaction (not committed)."""
    mobiles = [normalise_sender(sms.sender) for sms, _parsed in run]
    first_copies, seen = [], set()
    for index, (sms, _parsed) in enumerate(run):
        key = records.storable(sms.inbound_id, 100)
        if key not in seen:  # a second copy of a message in one batch is not answered twice
            seen.add(key)
            first_copies.append(index)
    # Kept once by its id, counted against its number's limit (over it, its record stays
    # unanswered: LIMITED), its sender found: one statement on PostgreSQL.
    taken: list[Taken | None] = [None] * len(run)
    for index, took in zip(first_copies, take_in(uow, [(run[i][0], mobiles[i]) for i in first_copies])):
        taken[index] = took if took is not None and took.within_limit else None
    wanted: dict[str, set[int]] = {}
    for (_sms, parsed), took in zip(run, taken):
        chosen = command(parsed.command)
        if took is not None and chosen is not None and took.principal is not None:
            for read in chosen.reads:
                wanted.setdefault(read, set()).add(took.principal.customer_id)
    ahead = Reads.ahead(uow, wanted)
    replies: list[str | None] = []
    answers = []
    for (sms, parsed), mobile, took in zip(run, mobiles, taken):
        if took is None:
            replies.append(None)
            continue
        record_id, principal = took.record_id, took.principal
        locale = principal.locale if principal else records.typed_locale(sms.body)
        conversation = Conversation(uow, sms, mobile, locale, principal, read_ahead=ahead)
        try:
            reply = reply_to(conversation, parsed.command, parsed.args)
        except DomainError as error:  # a query that refuses has written nothing: no rollback
            reply = refusal(conversation, error)
        reply = fit(reply)
        customer_id = principal.customer_id if principal else None
        answers.append({"record_id": record_id, "command": parsed.command, "customer_id": customer_id,
                        "locale": locale, "reply": reply, "recipient": mobile})
        replies.append(reply)
    records.answered_and_queued(uow, answers)
    return replies
