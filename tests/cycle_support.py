"""What the cycle tests share: a snapshot of every table the cycle writes, to compare two runs
row for row."""
from __future__ import annotations

from sqlalchemy import Connection, text

from paas.cycle.batch import CycleOptions

SMALL_BATCHES = CycleOptions(batch_size=7)  # many batches even on a small book

# Everything the cycle writes, without the instants (created_at) and the ids of new rows:
# two runs that did the same work agree on all of it.
SNAPSHOT = {
    "policies": "SELECT id, status, status_date, paid_to_date, version, paid_up_additions FROM policies",
    "premium_payments": "SELECT policy_id, due_date, amount, paid_on, channel, kind, reference FROM premium_payments",
    "policy_ledger": "SELECT policy_id, account, kind, entry_date, amount, reference FROM policy_ledger",
    "policy_loans": "SELECT policy_id, principal, interest_rate, taken_on, interest_to, balance, status"
                    " FROM policy_loans",
    "dividend_declarations": "SELECT policy_id, policy_year, declared_on, amount, option FROM dividend_declarations",
    "policy_events": "SELECT policy_id, type, reference, event_date, detail FROM policy_events",
    # (a notice's number and signature follow its event's id, which the order of the work decides)
    "notices": "SELECT customer_id, policy_id, notice_type, locale, issued_on FROM notices",
    # (planned, not how far they got: sending depends on the gateways, not on the cycle)
    "notice_deliveries": "SELECT n.policy_id, n.notice_type, d.channel FROM notice_deliveries d"
                         " JOIN notices n ON n.id = d.notice_id",
}


def snapshot(connection: Connection) -> dict[str, list[tuple]]:
    """Every row of every table the cycle writes, as text, sorted."""
    return {
        table: sorted(tuple(str(value) for value in row) for row in connection.execute(text(sql)))
        for table, sql in SNAPSHOT.items()
    }


def differences(first: dict, second: dict) -> dict[str, tuple[int, int, list]]:
    """Per table that differs: (rows only in first, rows only in second, a few examples)."""
    found = {}
    for table in SNAPSHOT:
        a, b = set(first[table]), set(second[table])
        if a != b:
            found[table] = (len(a - b), len(b - a), sorted(a ^ b)[:3])
    return found


def twin_seeded_books(postgres_databases, keyring, *, policies: int, mode_changes: int) -> tuple[str, str]:
    """Two PostgreSQL databases holding the same seeded book (the second a template copy of the
    first): one for the clean run, one for the run under test. Returns their URLs."""
    import psycopg
    from sqlalchemy.orm import Session

    from iaas.clock import FixedClock
    from iaas.database import create_database_engine
    from iaas.ratelimit import RateLimiter
    from paas.platform import Platform
    from portal import migrate
    from portal.demo.bulk import bulk_seed
    from portal.demo.bulk.elections import add_elections
    from tests.conftest import FAST_SECURITY, POSTGRES_ADMIN_URL, TEST_NOW

    clean_url = postgres_databases.create()
    engine = create_database_engine(clean_url)
    migrate.upgrade(engine)
    platform = Platform(session_factory=lambda: Session(engine), clock=FixedClock(TEST_NOW), keyring=keyring,
                        rate_limiter=RateLimiter("memory://"), gateways={}, security=FAST_SECURITY)
    bulk_seed(platform, engine, policies=policies, progress=lambda _line: None)
    with engine.begin() as connection:
        add_elections(connection, TEST_NOW.date(), mode_changes=mode_changes)
    engine.dispose()
    copy_url = postgres_databases.create()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        copy, clean = copy_url.rsplit("/", 1)[1], clean_url.rsplit("/", 1)[1]
        admin.execute(f'DROP DATABASE "{copy}"')
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{clean}"')
    return clean_url, copy_url
