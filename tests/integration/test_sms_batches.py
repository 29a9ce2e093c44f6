"""A batch of inbound SMS as the queue reader takes them (``saas.sms.batch.handle_batch``):
the same replies and the same records as one message at a time, in order, the queries of the
batch in one commit, each number's limit held across the batch, a second copy in the batch
answered once, a command that changes something answered in its place, and a query that
breaks answered alone without losing the others."""
from __future__ import annotations

import dataclasses
from datetime import date
import itertools

import pytest
from sqlalchemy import func, select

from iaas.sms_inbound import InboundSms
from paas.messaging import optout
from paas.messaging.models import OutboxMessage
from paas.messaging.sms_limit import LIMIT
from paas.messaging.sms_models import InboundSms as InboundRecord
from paas.unit_of_work import UnitOfWork
from saas.sms import batch, registry
from saas.sms.commands import queries
from tests.servicing_support import make_holder
from tests.sms_support import text_in

MOBILE = "+8613800000000"
ALLOWED = int(LIMIT.split()[0])
_ids = itertools.count(1)


@pytest.fixture
def holder(uow):
    return make_holder(uow, "batch@example.com", MOBILE)


def _sms(body: str, sender: str = MOBILE, inbound_id: str | None = None) -> InboundSms:
    return InboundSms(sender=sender, body=body, inbound_id=inbound_id or f"batch-{next(_ids)}", source="sqs",
                      recipient="+8610690000")


def _counting_commits(monkeypatch) -> list[int]:
    """The unit of work of each commit, in order (the first is the batch's own: the replies'
    delivery, run here after it with no job queue wired, commits in units of its own)."""
    counted: list[int] = []
    real = UnitOfWork.commit

    def commit(self):
        counted.append(id(self))
        return real(self)

    monkeypatch.setattr(UnitOfWork, "commit", commit)
    return counted


def test_a_batch_answers_as_one_message_at_a_time_would(platform, uow, holder):
    number = holder.whole_life.policy_number
    texts = ["POL", "缴费", f"VAL {number[-4:]}", "HELP", "nonsense", "POL"]
    alone = [text_in(platform, MOBILE, body) for body in texts]
    assert batch.handle_batch(platform, [_sms(body) for body in texts]) == alone
    stranger = batch.handle_batch(platform, [_sms("POL", "+8613911112222")])
    assert "95500" in stranger[0] and number not in stranger[0]


def test_the_queries_of_a_batch_commit_once_and_every_one_is_recorded_and_queued(platform, uow, holder, monkeypatch):
    messages = [_sms(body) for body in ("POL", "DUE", "HELP", "保单", "DUE")]
    counted = _counting_commits(monkeypatch)
    replies = batch.handle_batch(platform, messages)
    assert counted.count(counted[0]) == 1 and all(replies)
    uow.session.expire_all()
    kept = dict(uow.session.execute(select(InboundRecord.inbound_id, InboundRecord.reply).where(
        InboundRecord.inbound_id.in_([m.inbound_id for m in messages]))).all())
    assert kept == {m.inbound_id: reply for m, reply in zip(messages, replies)}
    queued = list(uow.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.recipient == MOBILE, OutboxMessage.kind == "sms_reply").order_by(OutboxMessage.id)))
    assert queued[-5:] == replies


def test_a_second_copy_in_the_batch_and_a_message_answered_before_get_no_reply(platform, uow, holder):
    earlier = _sms("POL")
    assert batch.handle_batch(platform, [earlier])[0]
    twice = _sms("DUE")
    replies = batch.handle_batch(platform, [twice, _sms("POL"), twice, earlier])
    assert replies[0] and replies[1] and replies[2] is None and replies[3] is None
    uow.session.expire_all()
    assert uow.session.scalar(select(func.count()).select_from(InboundRecord).where(
        InboundRecord.inbound_id == twice.inbound_id)) == 1


def test_a_numbers_limit_holds_across_a_batch_and_after_it(platform, uow, holder):
    replies = batch.handle_batch(platform, [_sms("POL") for _ in range(ALLOWED + 5)])
    assert [r is not None for r in replies] == [True] * ALLOWED + [False] * 5
    assert text_in(platform, MOBILE, "POL") is None  # the limit counted every answered one
    uow.session.expire_all()
    unanswered = uow.session.scalar(select(func.count()).select_from(InboundRecord).where(
        InboundRecord.sender == MOBILE, InboundRecord.reply.is_(None)))
    assert unanswered == 6  # kept, LIMITED: a redelivery of them is not answered either


def test_a_command_that_changes_something_is_answered_in_its_place(platform, uow, holder):
    replies = batch.handle_batch(platform, [_sms("POL"), _sms("TD"), _sms("DUE"), _sms("START"), _sms("TD")])
    assert all(replies)
    assert replies[1] == replies[4] and replies[1] != replies[3]
    assert optout.suppressed(uow, MOBILE, legally_required=False)  # the last word was TD


def test_a_query_that_breaks_is_answered_alone_and_the_others_still_are(platform, uow, holder, monkeypatch):
    calls = []

    def broken_once(conversation, args):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return queries.dues(conversation, args)

    monkeypatch.setitem(registry._by_name(), "DUE", dataclasses.replace(queries.DUE, handle=broken_once))
    replies = batch.handle_batch(platform, [_sms("POL"), _sms("DUE"), _sms("HELP")])
    monkeypatch.undo()
    assert all(replies) and len(calls) == 2
    assert replies[1] == text_in(platform, MOBILE, "DUE")  # answered one at a time, by the real command
    uow.session.expire_all()
    assert uow.session.scalar(select(func.count()).select_from(InboundRecord).where(
        InboundRecord.sender == MOBILE, InboundRecord.reply.is_(None))) == 0


def test_what_a_batch_reads_ahead_is_what_each_sender_would_read_alone(uow, holder):
    from paas.billing.dues import open_dues, open_dues_of
    from paas.policies.queries import asset_sheet, asset_sheets
    from tests.factories import make_customer

    other = make_holder(uow, "batch-other@example.com", "+8613800000099")
    nobody = make_customer(uow, name="无保单")  # no policy at all: an empty sheet, no dues
    other.whole_life.paid_to_date = date(2026, 3, 1)  # a premium due (in grace, or overdue)
    uow.session.flush()
    ids = {holder.customer.id, other.customer.id, nobody.id}
    assert asset_sheets(uow, ids) == {i: asset_sheet(uow, i) for i in ids}
    assert open_dues_of(uow, ids) == {i: open_dues(uow, i) for i in ids}
    assert asset_sheet(uow, holder.customer.id).policies and open_dues(uow, other.customer.id)


def test_a_batch_reads_each_senders_claims_as_their_claims_list_and_answers_claim_as_alone(platform, uow, holder):
    from paas.claims import reporting
    from paas.claims.views import ClaimStatusLine, claim_statuses_of, my_claims
    from paas.security.sessions import principal_of
    from tests.claims_support import FACTS, make_claimant

    claimant = make_claimant(uow, "batch-claimant@example.com", "+8613766660001")
    who = principal_of(claimant.account)
    for kind in ("critical_illness", "hospitalisation"):
        reporting.report(uow, who, claimant.critical_illness.policy_number, kind=kind,
                         incident_date=date(2026, 11, 1), facts=FACTS, claimant_name="", bank_account="1")
    uow.commit()
    listed = [ClaimStatusLine(c.reference, c.policy_number, c.status) for c in my_claims(uow, who)]
    assert len(listed) == 2 and listed[0].reference != listed[1].reference
    assert claim_statuses_of(uow, {claimant.customer.id, holder.customer.id}) == {
        claimant.customer.id: listed, holder.customer.id: []}
    number = claimant.critical_illness.policy_number
    texts = [(claimant.account.mobile, f"CLAIM {number[-4:]}"), (MOBILE, "claim"), (claimant.account.mobile, "理赔")]
    alone = [text_in(platform, mobile, body) for mobile, body in texts]
    assert listed[0].reference in alone[0]  # the newest claim
    assert batch.handle_batch(platform, [_sms(body, mobile) for mobile, body in texts]) == alone


def test_a_message_delivered_again_in_a_later_batch_is_not_counted_again(platform, uow, holder):
    first = [_sms("POL") for _ in range(ALLOWED // 2)]
    assert all(batch.handle_batch(platform, first))
    later = [_sms("DUE") for _ in range(ALLOWED - len(first))]
    replies = batch.handle_batch(platform, [*first, *later])  # the queue hands the first ones over again
    assert replies[:len(first)] == [None] * len(first) and all(replies[len(first):])
    assert batch.handle_batch(platform, [_sms("POL")]) == [None]  # and now the limit is reached
