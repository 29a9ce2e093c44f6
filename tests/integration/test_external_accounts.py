"""External-account services on SQLite and PostgreSQL: scoped to one customer, checked,
limited to 30, and audited without balances."""
from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from paas.assets import external
from paas.assets.entry import AccountEntry
from paas.assets.models import ExternalAccount
from paas.audit import chain
from paas.audit.models import AuditEntry
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.security.principal import Principal
from tests.factories import make_external_account, make_policyholder, principal_of

ENTRY = AccountEntry("工资卡", "bank", "招商银行", "12,345.60", "2026-11-01")


@pytest.fixture
def alice(uow):
    return make_policyholder(uow, email="ext-alice@example.com")[1]


@pytest.fixture
def bob(uow):
    return make_policyholder(uow, email="ext-bob@example.com")[1]


def _entries(uow, action: str) -> list[AuditEntry]:
    return uow.session.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)).scalars().all()


def test_add_list_get_update_remove(uow, alice, clock):
    who = principal_of(alice)
    added = external.add_account(uow, who, ENTRY)
    assert re.fullmatch(r"[A-Za-z0-9]{10}", added.reference)
    assert (added.name, added.kind, added.institution, added.balance) == ("工资卡", "bank", "招商银行", Decimal("12345.60"))
    assert external.list_accounts(uow, alice.customer_id) == (added,)
    assert external.get_account(uow, alice.customer_id, added.reference) == added
    clock.advance(timedelta(hours=1))
    changed = external.update_account(uow, who, added.reference, balance="0", institution="")
    assert changed.balance == Decimal("0.00") and changed.institution is None and changed.name == "工资卡"
    assert changed.updated_at > added.updated_at
    external.remove_account(uow, who, added.reference)
    assert external.list_accounts(uow, alice.customer_id) == ()
    with pytest.raises(NotFound):
        external.get_account(uow, alice.customer_id, added.reference)


def test_each_change_is_audited_without_balances_or_names(uow, alice):
    who = principal_of(alice)
    account = external.add_account(uow, who, ENTRY)
    external.update_account(uow, who, account.reference, balance="99.99", name="新名字")
    external.update_account(uow, who, account.reference, balance="99.99")  # nothing changed: nothing recorded
    external.remove_account(uow, who, account.reference)
    uow.commit()  # entries join the chain when their transaction commits
    entries = [e for action in ("added", "updated", "removed") for e in _entries(uow, f"external_account.{action}")]
    assert [e.action for e in entries] == ["external_account.added", "external_account.updated", "external_account.removed"]
    assert {e.subject for e in entries} == {f"external_account:{account.reference}"}
    assert {(e.actor_type, e.actor_id) for e in entries} == {("customer", alice.id)}
    assert json.loads(entries[1].detail) == {"changed": ["balance", "name"]}
    for entry in entries:
        assert "12345" not in entry.detail and "99.99" not in entry.detail and "工资卡" not in entry.detail
    assert chain.verify(uow.session, uow.keyring).intact


def test_another_customers_account_is_not_found_exactly_like_a_missing_one(uow, alice, bob):
    theirs = make_external_account(uow, bob, balance="777.77")
    who = principal_of(alice)
    attempts = {
        "get": lambda ref: external.get_account(uow, alice.customer_id, ref),
        "update": lambda ref: external.update_account(uow, who, ref, balance="1"),
        "remove": lambda ref: external.remove_account(uow, who, ref),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotFound) as other:
            attempt(theirs.reference)
        with pytest.raises(NotFound) as missing:
            attempt("Zz9Zz9Zz9Z")
        assert (other.value.message, other.value.params) == (missing.value.message, missing.value.params), name
    assert external.list_accounts(uow, alice.customer_id) == ()
    assert external.list_accounts(uow, bob.customer_id) == (theirs,)
    uow.commit()
    assert _entries(uow, "external_account.added") and not _entries(uow, "external_account.updated") and not _entries(uow, "external_account.removed")


@pytest.mark.parametrize("reference", ["", "short", "x" * 200, "../../etc", "abc'--def", "ABCDEFGHI\x00"])
def test_malformed_references_are_simply_not_found(uow, alice, reference):
    with pytest.raises(NotFound):
        external.get_account(uow, alice.customer_id, reference)


def test_at_most_30_accounts(uow, alice):
    for n in range(30):
        make_external_account(uow, alice, name=f"账户{n}")
    with pytest.raises(InvalidInput) as caught:
        make_external_account(uow, alice, name="第31个")
    assert caught.value.params == {"max": 30}
    assert len(external.list_accounts(uow, alice.customer_id)) == 30


def test_invalid_changes_leave_the_account_as_it_was(uow, alice):
    account = make_external_account(uow, alice, balance="500.00")
    with pytest.raises(InvalidInput) as caught:
        external.update_account(uow, principal_of(alice), account.reference, balance="-5")
    assert caught.value.field == "balance"
    assert external.get_account(uow, alice.customer_id, account.reference).balance == Decimal("500.00")


def test_dates_are_checked_against_the_clock(uow, alice, clock):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput, match="future"):
        make_external_account(uow, alice, as_of=tomorrow)
    clock.advance(timedelta(days=1))
    assert make_external_account(uow, alice, as_of=tomorrow).as_of.isoformat() == tomorrow


def test_staff_keep_no_external_accounts(uow):
    staff = Principal(account_id=999, display_name="员工", locale="zh", role="clerk")
    with pytest.raises(NotPermitted):
        external.add_account(uow, staff, ENTRY)


def test_the_database_refuses_a_negative_balance(uow, alice):
    account = make_external_account(uow, alice)
    row = uow.session.execute(select(ExternalAccount).where(ExternalAccount.reference == account.reference)).scalar_one()
    with pytest.raises(IntegrityError):
        with uow.session.begin_nested():
            row.balance = Decimal("-1.00")
            uow.session.flush()
