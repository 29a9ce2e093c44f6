"""Every registered servicing kind, money or not, against the edges the services page and the
engine must agree on: another customer's policy is not found, an open claim blocks all but
contact changes, and an ended policy offers nothing without saying why."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from paas.claims import reporting
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.i18n import translations
from paas.servicing import engine, offers
from paas.security.sessions import principal_of
from paas.servicing.kinds import common
from paas.servicing.models import ServiceRequest
from paas.servicing.registry import all_transactions
from tests.integration.servicing_money_support import holder, priced_policy
from tests.servicing_support import make_holder

KINDS = sorted(txn.kind for txn in all_transactions())
CONTACT_KINDS = {txn.kind for txn in all_transactions() if txn.groups <= engine.CLAIM_ALLOWS}


@pytest.fixture
def two_owners(uow):
    (alice, alice_who), (_bob, bob_who) = holder(uow), holder(uow)
    policy = priced_policy(uow, alice, "WLPAR", "300000")
    uow.session.flush()
    return policy, alice_who, bob_who


@pytest.mark.parametrize("kind", KINDS)
def test_another_customers_policy_is_not_found_for_every_kind(uow, two_owners, kind):
    policy, _, stranger = two_owners
    with pytest.raises(NotFound):
        engine.start(uow, stranger, policy.policy_number, kind, {}, channel="web", idempotency_key=f"x-{kind}")
    with pytest.raises(NotFound):
        offers.preview(uow, stranger, policy.policy_number, kind, {})


def test_an_open_claim_blocks_every_kind_but_contact_changes_with_the_same_reason_everywhere(uow, two_owners):
    policy, owner, _ = two_owners
    reporting.report(uow, owner, policy.policy_number, kind="death", incident_date=date(2026, 11, 1),
                     facts="Died at home.", claimant_name="", bank_account="1")
    shown = offers.policy_offers(uow, owner, policy.policy_number)
    assert CONTACT_KINDS and CONTACT_KINDS < set(KINDS)
    for offer in shown.offers:
        if offer.kind in CONTACT_KINDS:
            assert offer.reason != common.CLAIM_OPEN, offer.kind
            continue
        assert not offer.available and offer.reason is not None, offer.kind
        with pytest.raises(NotPermitted):  # what the page says is what the engine does
            engine.start(uow, owner, policy.policy_number, offer.kind, {}, channel="web", idempotency_key=f"c-{offer.kind}")


@pytest.mark.parametrize("status", ["surrendered", "matured", "terminated", "cancelled"])
def test_an_ended_policy_says_why_for_every_kind_in_words_we_translate(uow, two_owners, status):
    policy, owner, _ = two_owners
    policy.status = status
    uow.session.flush()
    zh = translations("zh")
    for offer in offers.policy_offers(uow, owner, policy.policy_number).offers:
        if offer.available:
            continue
        assert offer.reason and zh.gettext(offer.reason) != offer.reason, (offer.kind, offer.reason)
    # What concerns the person, not the cover, stays open: contact details, how notices come,
    # a copy of the documents, the name or ID number on file.
    about_the_person = CONTACT_KINDS | {"document_reissue", "notice_preference", "name_id_correction"}
    about_the_policy = [o for o in offers.policy_offers(uow, owner, policy.policy_number).offers
                        if o.kind not in about_the_person]
    assert len(about_the_policy) > 15 and not any(o.available for o in about_the_policy), \
        [o.kind for o in about_the_policy if o.available]


@pytest.mark.parametrize(("typed", "message"), [
    ("-5", "Enter an amount in yuan with at most two decimals"), ("0", "The amount must be greater than zero."),
    ("12.345", "Enter an amount in yuan with at most two decimals"), ("abc", "Enter an amount in yuan"),
    ("1000.01", "The most you can take now is"),
])
def test_bad_withdrawal_amounts_are_refused_on_the_field_and_nothing_is_kept(uow, typed, message):
    held = make_holder(uow, "held@example.com", "+8613800001111", dividends="1000.00")
    who = principal_of(held.account)
    with pytest.raises(InvalidInput) as error:
        engine.start(uow, who, held.whole_life.policy_number, "dividend_withdrawal",
                     {"amount": typed, "bank_account": "1"}, channel="web", idempotency_key=f"bad-{typed}")
    assert error.value.field == "amount" and error.value.message.startswith(message)
    uow.rollback()
    assert uow.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


MONEY_KINDS = sorted(txn.kind for txn in all_transactions() if txn.pays_out or txn.changes_payee)
PAYOUT_KINDS = {"dividend_withdrawal", "survival_benefit_withdrawal", "policy_loan", "surrender", "partial_withdrawal",
                "free_look_cancellation", "sum_assured_reduction"}


def test_every_kind_that_pays_money_out_is_marked_so():
    # Each is frozen by the freeze and held for a new payee: a kind paying out unmarked would escape both.
    assert PAYOUT_KINDS == {txn.kind for txn in all_transactions() if txn.pays_out}
    assert "payment_method" in MONEY_KINDS


@pytest.mark.parametrize("kind", MONEY_KINDS)
def test_a_freeze_refuses_every_money_kind_with_the_same_reason_on_the_page_and_in_the_engine(uow, two_owners, kind):
    from paas.security import freeze

    policy, owner, _ = two_owners
    freeze.freeze(uow, owner)
    offer = offers.policy_offers(uow, owner, policy.policy_number).offer(kind)
    assert not offer.available
    with pytest.raises(NotPermitted):
        engine.start(uow, owner, policy.policy_number, kind, {}, channel="web", idempotency_key=f"f-{kind}")
    if offer.reason == freeze.FROZEN:  # else the policy refuses it already for its own reason
        assert translations("zh").gettext(freeze.FROZEN) != freeze.FROZEN


def test_a_freeze_leaves_the_kinds_that_move_no_money_as_they_were(uow, two_owners):
    from paas.security import freeze

    policy, owner, _ = two_owners
    before = {o.kind: o.available for o in offers.policy_offers(uow, owner, policy.policy_number).offers}
    freeze.freeze(uow, owner)
    after = {o.kind: o.available for o in offers.policy_offers(uow, owner, policy.policy_number).offers}
    assert {k: v for k, v in after.items() if k not in MONEY_KINDS} == {k: v for k, v in before.items() if k not in MONEY_KINDS}
    assert any(before[k] for k in MONEY_KINDS) and not any(after[k] for k in MONEY_KINDS)
