"""Recording the cycle's notices in bulk on PostgreSQL, next to a plain set-based SQL pass over
the same rows, measured in the same run on the same machine.

    .venv/bin/python bench/notices.py                      # 100,000 notices
    .venv/bin/python bench/notices.py --notices 20000      # a quick look

A fresh database ``portal_bench_notices`` is created (dropped first), given the schema and
bulk-seeded with as many policies as notices wanted (``portal seed``'s code); one premium-due
event per policy is raised set-based, as the cycle raises them. Then, on two copies of that
database:
  * the notices step: ``paas.notices.records.record_notices`` - the events' ids in one query,
    then per chunk of 5,000 their facts by ``id = ANY``, each notice built, checked and
    Ed25519-signed (in a worker process per core for a batch this large), COPYed in, and its
    deliveries planned by the customer's choices and COPYed - one transaction;
  * the bare pass: one ``INSERT ... SELECT`` writing a row per event (event, customer, policy,
    type, date, the event's JSON as the "canonical" data, no signature, no deliveries).
Goal: 100,000 notices recorded in <= 10 s. The ratio says what signing and planning cost.
Besides the wall time each round prints the CPU-seconds of this process, of its signing
workers and of the PostgreSQL backend that ran the step (from /proc, when the server is on this
machine): on a shared machine their sum against the wall time tells load from cost.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 10.0
SOURCE, RUN, BARE = "portal_bench_notices", "portal_bench_notices_run", "portal_bench_notices_bare"
BARE_SQL = """
CREATE TABLE bare_notices AS SELECT e.id AS event_id, p.owner_id AS customer_id, p.id AS policy_id,
       'premium_due'::text AS notice_type, e.event_date AS issued_on, convert_to(e.detail, 'UTF8') AS canonical,
       now() AS created_at
FROM policy_events e JOIN policies p ON p.id = e.policy_id JOIN customers c ON c.id = p.owner_id
WHERE e.type = 'premium_due'
"""


def admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def recreate(server: str, name: str, template: str | None = None) -> None:
    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def platform_for(url: str, keyring):
    from sqlalchemy.orm import Session

    from iaas.clock import FixedClock
    from iaas.database import create_database_engine
    from iaas.ratelimit import RateLimiter
    from paas.platform import Platform

    engine = create_database_engine(url)
    return engine, Platform(session_factory=lambda: Session(engine, expire_on_commit=False),
                            clock=FixedClock(datetime(2026, 12, 1, 2, tzinfo=timezone.utc)), keyring=keyring,
                            rate_limiter=RateLimiter("memory://"), gateways={})


def prepare(server: str, count: int, keyring) -> date:
    from sqlalchemy import text

    from paas.notices.bulk import event_rows, raise_for_rows
    from paas.policies.models import Policy
    from paas.schema import metadata
    from portal.demo.bulk.seeding import bulk_seed

    recreate(server, SOURCE)
    engine, platform = platform_for(f"{server}/{SOURCE}", keyring)
    metadata.create_all(engine)
    started = time.perf_counter()
    bulk_seed(platform, engine, policies=count, progress=lambda _line: None)
    day = platform.clock.today()
    with platform.unit_of_work() as uow:
        rows = event_rows(Policy.id, "premium_due", day, {"amount": "1200.00", "due_date": "2027-01-01"})
        raised = raise_for_rows(uow.session, rows, platform.clock.now())
        uow.commit()
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    print(f"prepared {count:,} policies and {raised:,} premium-due events in {time.perf_counter() - started:.1f} s")
    return day


def backend_cpu(pid: int) -> float | None:
    """CPU-seconds of a PostgreSQL backend on this machine (None when it is elsewhere or hidden)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the signing workers, once joined
    return usage.ru_utime + usage.ru_stime


def run_notices(server: str, keyring, day: date) -> tuple[float, float, float, float | None, int, int]:
    from sqlalchemy import func, select, text

    from paas.notices.models import NoticeDelivery, PolicyEvent
    from paas.notices.records import record_notices

    engine, platform = platform_for(f"{server}/{RUN}", keyring)
    with platform.unit_of_work() as uow:
        backend = uow.session.scalar(text("SELECT pg_backend_pid()"))
        server_cpu, workers_cpu = backend_cpu(backend), children_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        made = record_notices(uow.session, keyring, platform.clock.now(), PolicyEvent.event_date == day)
        uow.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        workers_cpu = children_cpu() - workers_cpu
        after = backend_cpu(backend)
        server_cpu = after - server_cpu if after is not None and server_cpu is not None else None
    with platform.unit_of_work() as uow:
        planned = uow.session.scalar(select(func.count(NoticeDelivery.id)))
    engine.dispose()
    return seconds, cpu, workers_cpu, server_cpu, len(made), planned


def run_bare(server: str) -> tuple[float, int]:
    import psycopg

    with psycopg.connect(f"{server}/{BARE}") as connection:
        started = time.perf_counter()
        rows = connection.execute(BARE_SQL).rowcount
        connection.commit()
        return time.perf_counter() - started, rows


def main(argv=None) -> int:
    global SOURCE, RUN, BARE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default=SOURCE,
                        help="name of the bench's database (and prefix of its two copies): one's own on a shared server")
    args = parser.parse_args(argv)
    SOURCE, RUN, BARE = args.database, f"{args.database}_run", f"{args.database}_bare"
    from iaas.keyring.local import LocalKeyRing

    keyring = LocalKeyRing.load_or_create(Path(tempfile.gettempdir()) / "portal_bench_notices.key")
    from paas.notices.signing import workers_for

    print(f"Notices benchmark, {date.today().isoformat()}, {os.cpu_count()} cores "
          f"({workers_for(args.notices)} signing workers), load average "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg()) + ".")
    day = prepare(args.server, args.notices, keyring)
    for number in range(1, args.rounds + 1):
        recreate(args.server, RUN, SOURCE)
        recreate(args.server, BARE, SOURCE)
        bare, bare_rows = run_bare(args.server)
        seconds, cpu, workers_cpu, server_cpu, made, planned = run_notices(args.server, keyring, day)
        verdict = "met" if seconds <= GOAL_SECONDS * made / 100_000 else "MISSED"
        server = f"{server_cpu:.2f} s" if server_cpu is not None else "not visible"
        print(f"round {number}: notices step {made:,} notices ({planned:,} deliveries planned) in {seconds:.2f} s "
              f"= {made / seconds:,.0f}/s ({verdict}: goal 100,000 in <= {GOAL_SECONDS:.0f} s); CPU: this process "
              f"{cpu:.2f} s, signing workers {workers_cpu:.2f} s, database backend {server}; "
              f"bare INSERT ... SELECT {bare_rows:,} rows in {bare:.2f} s; ratio {seconds / bare:.1f}; "
              "load average " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    for name in (RUN, BARE, SOURCE):
        with admin(args.server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
