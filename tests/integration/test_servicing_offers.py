"""The query side of servicing: what the services page offers agrees with what the engine
accepts, the preview keeps nothing, queues list oldest first for their team only, the
statistics' percentiles."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from paas.errors import InvalidInput, NotPermitted
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.desk import queue_requests, visible_queues
from paas.servicing.models import ServiceRequest
from paas.servicing.offers import policy_offers, preview
from paas.statistics.periods import percentile
from tests.factories import make_staff
from tests.servicing_support import make_holder


@pytest.fixture
def holder(uow):
    return make_holder(uow, "offers@example.com", "+8613844445555")


def test_what_is_offered_is_what_the_engine_accepts(uow, holder):
    who = principal_of(holder.account)
    engine.start(uow, who, holder.whole_life.policy_number, "dividend_withdrawal", {"amount": "1"}, channel="web",
                 idempotency_key="open-one")
    for policy in (holder.term, holder.whole_life):
        for n, offer in enumerate(policy_offers(uow, who, policy.policy_number).offers):
            try:
                with uow.session.begin_nested():
                    engine.start(uow, who, policy.policy_number, offer.kind, {}, channel="web", idempotency_key=f"{policy.id}-{n}")
                    raise InvalidInput("rolled back")  # only whether it was refused, and why, matters here
            except NotPermitted as refused:
                assert not offer.available and refused.message == offer.reason, offer.kind
            except InvalidInput as refused:
                if refused.message == engine.CONFLICT:
                    assert not offer.available and offer.reason_params == refused.params, offer.kind
                else:
                    assert offer.available, (offer.kind, refused.message)


def test_one_kinds_form_is_offered_as_among_all_and_reads_only_what_it_shows(uow, holder):
    who = principal_of(holder.account)
    number = holder.whole_life.policy_number
    engine.start(uow, who, number, "dividend_withdrawal", {"amount": "1"}, channel="web", idempotency_key="open-two")
    every = policy_offers(uow, who, number)
    for kind in ("contact_address", "dividend_withdrawal", "survival_benefit_withdrawal", "beneficiaries"):
        alone = policy_offers(uow, who, number, only=kind)
        assert alone.offers == (every.offer(kind),), kind
    withdrawal = policy_offers(uow, who, number, only="survival_benefit_withdrawal")
    assert withdrawal.payout_choices == every.payout_choices and withdrawal.payout_choices
    assert policy_offers(uow, who, number, only="beneficiaries").beneficiaries == every.beneficiaries
    sent = []
    connection = uow.session.connection()
    listener = lambda conn, cursor, statement, *rest: sent.append(statement)  # noqa: E731
    event.listen(connection, "before_cursor_execute", listener)
    try:
        address = policy_offers(uow, who, number, only="contact_address")
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    assert address.offer("contact_address").available and not address.payout_choices
    assert sent and not any("products" in statement for statement in sent), sent  # no valuation: its facts unread


def test_a_preview_is_what_submitting_shows_and_keeps_nothing(uow, holder):
    who = principal_of(holder.account)
    shown = preview(uow, who, holder.whole_life.policy_number, "dividend_withdrawal", {"amount": "250", "bank_account": "1"})
    assert (shown.step_up, shown.review_queue) == ("sms", None)
    assert uow.session.scalar(select(func.count(ServiceRequest.id))) == 0
    request = engine.start(uow, who, holder.whole_life.policy_number, "dividend_withdrawal",
                           {"amount": "250", "bank_account": "1"}, channel="web", idempotency_key="p-1")
    assert json.loads(request.preview) == list(shown.lines)
    clerk = principal_of(make_staff(uow, role="clerk").account)
    assert preview(uow, clerk, holder.term.policy_number, "contact_email", {"email": "new@example.com"}).step_up == "totp"


def test_queues_list_oldest_first_for_the_deciding_team_only(uow, clock, holder):
    from paas.documents import uploads
    from tests.servicing_support import PDF

    who = principal_of(holder.account)
    references = []
    for n, policy in enumerate((holder.whole_life, holder.term)):
        document = uploads.upload(uow, who, holder.customer.id, purpose="name_id_correction", subject="t",
                                  filename="id.pdf", data=PDF)
        references.append(engine.start(uow, who, policy.policy_number, "name_id_correction",
                                       {"name": f"张伟{n}号", "document": document.reference}, channel="web",
                                       idempotency_key=f"q-{n}").reference)
        clock.advance(timedelta(minutes=10))
    clerk = principal_of(make_staff(uow, role="clerk").account)
    lines = queue_requests(uow, clerk, "clerk")
    assert [line.request.reference for line in lines] == references
    assert [line.age for line in lines] == [timedelta(minutes=20), timedelta(minutes=10)]
    underwriter = principal_of(make_staff(uow, role="underwriter").account)
    assert visible_queues(underwriter) == ["underwriter"] and visible_queues(clerk) == ["clerk"]
    with pytest.raises(NotPermitted):
        queue_requests(uow, underwriter, "clerk")
    with pytest.raises(NotPermitted):
        queue_requests(uow, who, "clerk")


def test_percentiles_by_nearest_rank():
    values = [timedelta(seconds=s) for s in (50, 10, 40, 30, 20, 60, 70, 80, 90, 100)]
    assert percentile(values, 0.5) == timedelta(seconds=50)
    assert percentile(values, 0.9) == timedelta(seconds=90)
    assert percentile([timedelta(seconds=7)], 0.9) == timedelta(seconds=7)
    assert percentile([], 0.5) is None
