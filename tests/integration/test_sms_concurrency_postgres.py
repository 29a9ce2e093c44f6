"""One transaction per inbound SMS, on PostgreSQL with real commits and threads: a number's
limit is counted in the message's own transaction, yet messages arriving at once cannot go
over it; copies of one message delivered at once are answered once; a rolled-back command
does not leave its message unanswered or uncounted."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from iaas.sms_inbound import InboundSms
from paas.messaging.models import OutboxMessage
from paas.messaging.sms_models import InboundSms as InboundRecord
from paas.platform import Platform
from paas.messaging.sms_limit import LIMIT
from saas.sms.batch import handle_batch
from saas.sms.channel import handle
from tests.postgres_support import committing_platform, migrated_engine
from tests.servicing_support import make_holder

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
SENDERS = 8
ALLOWED = int(LIMIT.split()[0])


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=SENDERS + 2)


@pytest.fixture
def pg(pg_engine) -> Platform:
    return committing_platform(pg_engine)


def _at_once(count: int, send) -> list[str | None]:
    ready = threading.Barrier(min(count, SENDERS))

    def one(n: int) -> str | None:
        if n < SENDERS:
            ready.wait()
        return send(n)

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        return list(pool.map(one, range(count)))


def _replies_to(pg: Platform, mobile: str) -> int:
    with pg.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == mobile, OutboxMessage.kind == "sms_reply"))


def test_messages_sent_at_once_never_exceed_the_numbers_limit(pg):
    with pg.unit_of_work() as uow:
        make_holder(uow, "limit-race@example.com", "+8613811110001")
    answers = _at_once(ALLOWED + 12, lambda n: handle(pg, InboundSms(
        sender="+8613811110001", body="POL", inbound_id=f"race-{n}", source="sns")))
    assert sum(a is not None for a in answers) == ALLOWED
    assert _replies_to(pg, "+8613811110001") == ALLOWED
    with pg.unit_of_work() as uow:  # every message is kept, the ones over the limit unanswered
        kept = uow.session.execute(select(InboundRecord.reply.is_(None), func.count()).where(
            InboundRecord.sender == "+8613811110001").group_by(InboundRecord.reply.is_(None))).all()
    assert dict(kept) == {False: ALLOWED, True: 12}


def test_copies_of_one_message_delivered_at_once_are_answered_once(pg):
    with pg.unit_of_work() as uow:
        make_holder(uow, "copies@example.com", "+8613811110002")
    answers = _at_once(SENDERS, lambda n: handle(pg, InboundSms(
        sender="+8613811110002", body="DUE", inbound_id="the-same-one", source="sns")))
    assert sum(a is not None for a in answers) == 1
    assert _replies_to(pg, "+8613811110002") == 1


def test_a_refused_command_is_still_kept_counted_and_answered_once(pg):
    with pg.unit_of_work() as uow:
        make_holder(uow, "refused@example.com", "+8613811110003")
    # No policy ends in 0000: the service refuses, the command's transaction is rolled back.
    reply = handle(pg, InboundSms(sender="+8613811110003", body="VAL 0000", inbound_id="refused-1", source="sns"))
    again = handle(pg, InboundSms(sender="+8613811110003", body="VAL 0000", inbound_id="refused-1", source="sns"))
    assert reply and again is None
    with pg.unit_of_work() as uow:
        kept = uow.session.execute(select(InboundRecord.reply, InboundRecord.command).where(
            InboundRecord.inbound_id == "refused-1")).one()
    assert kept == (reply, "VAL")
    answered = [handle(pg, InboundSms(sender="+8613811110003", body="HELP", inbound_id=f"after-{n}", source="sns"))
                for n in range(ALLOWED)]
    assert sum(a is not None for a in answered) == ALLOWED - 1  # the refused one counted


def test_batches_from_one_number_at_once_never_exceed_its_limit(pg):
    with pg.unit_of_work() as uow:
        make_holder(uow, "batch-race@example.com", "+8613811110004")
    answers = _at_once(4, lambda n: handle_batch(pg, [InboundSms(
        sender="+8613811110004", body="POL" if k % 2 else "DUE", inbound_id=f"batch-race-{n}-{k}", source="sqs")
        for k in range(10)]))
    assert sum(a is not None for batch in answers for a in batch) == ALLOWED
    assert _replies_to(pg, "+8613811110004") == ALLOWED


def test_one_batch_delivered_twice_at_once_is_answered_once(pg):
    with pg.unit_of_work() as uow:
        make_holder(uow, "batch-twice@example.com", "+8613811110005")
    messages = [InboundSms(sender="+8613811110005", body="POL", inbound_id=f"batch-twice-{k}", source="sqs")
                for k in range(8)]
    answers = _at_once(2, lambda n: handle_batch(pg, messages if n == 0 else messages[::-1]))
    assert sum(a is not None for batch in answers for a in batch) == 8
    assert _replies_to(pg, "+8613811110005") == 8
