"""The signed-in pages on PostgreSQL as the server wires them (read-only units in autocommit,
real commits): the session check and the asset sheet take one pooled connection and no ORM
session, and the check is still the whole check - sign-out, idle expiry, a disabled account and
every change take effect on the very next request."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from iaas.database import read_only_engine
from paas.security.models import Account, LoginSession
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.postgres_support import committing_platform, migrated_engine
from tests.web_client import WebClient

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=2)


@pytest.fixture
def platform(pg_engine):
    return committing_platform(pg_engine)


@pytest.fixture
def web(platform, settings):
    from portal.app import create_app

    return WebClient(create_app(settings, platform=platform).test_client())


def _policyholder(platform, email: str, mobile: str):
    with platform.unit_of_work() as uow:
        customer, account = make_policyholder(uow, name="王丽", mobile=mobile, email=email)
        policy = make_policy(uow, customer)
        uow.commit()
        return customer.id, account.id, policy.policy_number


def _orm_sessions_made(platform, monkeypatch) -> list[int]:
    made = []
    factory = platform.read_only_session_factory

    def counting(**kwargs):
        made.append(1)
        return factory(**kwargs)

    monkeypatch.setattr(platform, "read_only_session_factory", counting)
    return made


@contextmanager
def _pool_checkouts(pg_engine) -> Iterator[list[bool]]:
    """The connections taken from either pool (the transactional one, the read-only one) while
    the block runs, one entry each: whether the driver connection was in autocommit."""
    checkouts: list[bool] = []

    def count_checkout(dbapi_connection, *_args):
        checkouts.append(dbapi_connection.autocommit)

    pools = (pg_engine.pool, read_only_engine(pg_engine).pool)
    for pool in pools:
        event.listen(pool, "checkout", count_checkout)
    try:
        yield checkouts
    finally:
        for pool in pools:
            event.remove(pool, "checkout", count_checkout)


def test_check_and_sheet_take_one_connection_and_no_orm_session(platform, web, pg_engine, monkeypatch):
    _customer, _account, number = _policyholder(platform, "one-connection@example.com", "+8613711110001")
    web.login("one-connection@example.com", PASSWORD)
    assert web.get("/").status_code == 200  # the last-seen time written now, not in the loop below
    made = _orm_sessions_made(platform, monkeypatch)
    sent = []

    def count_statement(*args):
        sent.append(args[2])

    event.listen(pg_engine, "before_cursor_execute", count_statement)
    try:
        with _pool_checkouts(pg_engine) as checkouts:
            # round trips: the session; and the sheet with its unread count; and the policy with its
            # special terms, then its beneficiaries and premiums (the factory's product pays no dividends)
            for path, statements in (("/session/check", 1), ("/", 2), (f"/policies/{number}", 4)):
                checkouts.clear()
                sent.clear()
                answer = web.get(path)
                assert answer.status_code == 200, path
                assert checkouts == [True], (path, checkouts)  # one, from the read-only pool
                assert len(sent) == statements, (path, sent)
    finally:
        event.remove(pg_engine, "before_cursor_execute", count_statement)
    assert number in web.text("/")
    assert made == []


def test_a_read_only_page_that_needs_the_orm_makes_its_session_on_the_same_connection(platform, web, pg_engine,
                                                                                      monkeypatch):
    _customer, _account, _number = _policyholder(platform, "orm-too@example.com", "+8613711110005")
    web.login("orm-too@example.com", PASSWORD)
    assert web.get("/notices").status_code == 200
    made = _orm_sessions_made(platform, monkeypatch)
    with _pool_checkouts(pg_engine) as checkouts:
        assert web.get("/notices").status_code == 200  # the session check in Core, the inbox by the ORM
    assert checkouts == [True] and made == [1]


def test_a_request_that_reads_then_writes_runs_in_one_transaction(platform, web, pg_engine):
    """Signing out reads the session, then deletes it: a transactional connection, committed,
    never one of the read-only pool's (whose connections are in autocommit from the start)."""
    _customer, account_id, _number = _policyholder(platform, "writes@example.com", "+8613711110007")
    web.login("writes@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    token = web.csrf_token("/")
    with _pool_checkouts(pg_engine) as checkouts:
        assert web.client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert checkouts == [False]
    with platform.unit_of_work() as uow:
        assert uow.session.scalar(select(LoginSession.id).where(LoginSession.account_id == account_id)) is None
    with read_only_engine(pg_engine).connect() as connection:  # autocommit from the moment it connected
        assert connection.connection.dbapi_connection.autocommit
        assert connection.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"
    with pg_engine.connect() as connection:
        assert not connection.connection.dbapi_connection.autocommit


def test_sign_out_idle_time_and_a_disabled_account_take_effect_at_once(platform, web):
    _customer, account_id, _number = _policyholder(platform, "at-once@example.com", "+8613711110002")
    web.login("at-once@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    web.logout()
    assert web.get("/session/check").status_code == 302
    assert web.get("/").status_code == 302

    web.login("at-once@example.com", PASSWORD)
    assert web.get("/").status_code == 200
    platform.clock.advance(platform.security.idle_timeout + timedelta(seconds=1))
    assert web.get("/session/check").status_code == 302

    web.login("at-once@example.com", PASSWORD)
    assert web.get("/").status_code == 200
    with platform.unit_of_work() as uow:
        uow.session.execute(update(Account).where(Account.id == account_id).values(is_active=False))
        uow.commit()
    assert web.get("/session/check").status_code == 302
    assert web.get("/").status_code == 302


def test_the_last_seen_time_is_written_without_a_transaction(platform, web):
    _customer, account_id, _number = _policyholder(platform, "last-seen@example.com", "+8613711110003")
    web.login("last-seen@example.com", PASSWORD)
    step = platform.security.idle_timeout * 2 / 3
    for _ in range(3):
        platform.clock.advance(step)
        assert web.get("/session/check").status_code == 200
        with platform.unit_of_work() as uow:  # another connection sees it: it was committed
            seen = uow.session.scalar(select(LoginSession.last_seen_at).where(LoginSession.account_id == account_id))
        assert seen == platform.clock.now()


def test_a_change_shows_on_the_next_request(platform, web):
    _customer, _account, number = _policyholder(platform, "next-request@example.com", "+8613711110004")
    web.login("next-request@example.com", PASSWORD)
    assert "data-test=\"asset-sheet\"" in web.text("/")
    from paas.policies.models import Policy

    with platform.unit_of_work() as uow:
        uow.session.execute(update(Policy).where(Policy.policy_number == number).values(sum_assured=654321))
        uow.commit()
    assert "¥654,321.00" in web.text("/")


def test_the_sheet_of_a_customer_without_policies_still_counts_unread_notices(platform, web):
    with platform.unit_of_work() as uow:
        make_policyholder(uow, name="赵敏", mobile="+8613711110006", email="no-policies@example.com")
        uow.commit()
    web.login("no-policies@example.com", PASSWORD)
    sheet = web.text("/")
    assert 'data-test="unread-notices">0<' in sheet and "data-test=\"asset-sheet\"" not in sheet
