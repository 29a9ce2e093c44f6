"""The servicing benchmark's customers: for each client, participating policies in force with
distinct owners (so no two clients ever wait on one another's rows), each owner with a sign-in
account that may transact (identity and bank card proved: ``paas.security.tiers``), a bank
account and dividends held to withdraw from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from paas.customers.models import Customer
from paas.customers.registry import add_bank_account
from paas.policies.ledger import credit

HELD = Decimal("1000000.00")  # plenty for every 1-yuan withdrawal of a run


@dataclass(frozen=True)
class Work:
    policy_number: str
    customer_id: int
    account_id: int


_CHOSEN = text("""
    SELECT DISTINCT ON (p.owner_id) p.policy_number, p.id, p.owner_id
    FROM policies p JOIN products r ON r.id = p.product_id
    WHERE r.code = 'WLPAR' AND p.status = 'in_force'
    ORDER BY p.owner_id, p.id
    LIMIT :n
""")


def prepare_work(platform, clients: int, per_client: int) -> list[list[Work]]:
    """Idempotent: a second run finds the accounts, bank accounts and credits already there."""
    with platform.unit_of_work() as uow:
        rows = uow.session.execute(_CHOSEN, {"n": clients * per_client}).all()
        if len(rows) < clients * per_client:
            raise SystemExit(f"only {len(rows)} participating policies in force with distinct owners; "
                             f"seed more policies or use fewer --clients / --per-client")
        work = []
        for number, policy_id, owner_id in rows:
            work.append(Work(number, owner_id, _account(uow, owner_id)))
            customer = uow.session.get(Customer, owner_id)
            if not customer.bank_accounts:
                add_bank_account(uow, customer, bank_name="中国工商银行", account_number=f"6222{owner_id:015d}", verified=True)
            credit(uow, policy_id, "dividends", "credit", HELD, date(2020, 1, 1), reference=f"bench-servicing:{policy_id}")
        uow.commit()
    return [work[i::clients] for i in range(clients)]


def _account(uow, customer_id: int) -> int:
    """A sign-in account for the owner (the engine records who submitted each request), at the
    Transact tier as if proved at a counter with a bank card checked; the password hash is a
    placeholder nobody can sign in with."""
    found = uow.session.scalar(text("SELECT id FROM accounts WHERE customer_id = :c"), {"c": customer_id})
    if found is None:
        found = uow.session.scalar(text(
            "INSERT INTO accounts (password_hash, display_name, customer_id, authority_level, locale, is_active,"
            " is_demo, created_at) VALUES ('!bench', 'bench', :c, 0, 'zh', true, false, now()) RETURNING id"),
            {"c": customer_id})
    uow.session.execute(text(
        "UPDATE accounts SET identity_verified_at = coalesce(identity_verified_at, now()),"
        " identity_verified_by = coalesce(identity_verified_by, 'counter'),"
        " card_verified_at = coalesce(card_verified_at, now()),"
        " card_verified_by = coalesce(card_verified_by, 'four_elements') WHERE id = :a"), {"a": found})
    return found


# The bench's withdrawals leave a ledger entry each, run after run: by 2026-12-08 its busiest
# policy had 5,329 (a real policy has dozens: a dividend a year, a rare withdrawal), and a
# withdrawal's facts read sums them. Folded into the bench's opening credit, the balance the same.
_FOLD_LEDGERS = text("""
    WITH folded AS (
        SELECT policy_id, sum(amount) AS total FROM policy_ledger
        WHERE account = 'dividends'
          AND policy_id IN (SELECT policy_id FROM policy_ledger WHERE reference LIKE 'bench-servicing:%')
        GROUP BY policy_id HAVING count(*) > 1
    ), opening AS (
        UPDATE policy_ledger l SET amount = f.total FROM folded f
        WHERE l.policy_id = f.policy_id AND l.reference = 'bench-servicing:' || f.policy_id
        RETURNING l.policy_id, l.id
    )
    DELETE FROM policy_ledger l USING opening o WHERE l.policy_id = o.policy_id AND l.account = 'dividends' AND l.id <> o.id
""")


def tidy(url: str) -> None:
    """Before a measurement, the database as a live one would be. The bench's policies' ledgers
    folded (``_FOLD_LEDGERS``); then VACUUM (ANALYZE): the machine's PostgreSQL runs with
    autovacuum off (its CI setting), and every run leaves thousands of dead rows in the tables it
    churns - the job queue, the outbox, the requests, the notices' deliveries: without it the runs
    of a day measured a bloat no live database has (a job's claim took 6 ms instead of 0.1 by the
    evening), pgbench, which builds its tables afresh, none. A live database's autovacuum keeps
    these tables clean; this is its stand-in. It also gathers the statistics."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(_FOLD_LEDGERS)
            connection.exec_driver_sql("VACUUM (ANALYZE)")
    finally:
        engine.dispose()
