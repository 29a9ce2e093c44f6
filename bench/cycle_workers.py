"""The nightly cycle shared by workers: 1, 2 and 4 ``portal cycle share`` processes over one
book on PostgreSQL, against the single run (``portal cycle run``'s runner) of the same night on
a copy of the same book, in the same run.

    .venv/bin/python bench/cycle_workers.py                       # 1,000,000 policies (the goal)
    .venv/bin/python bench/cycle_workers.py --policies 100000     # what fits a shared machine

The book is bulk-seeded (``portal.demo.bulk``) into a database of this benchmark's own, given
elections and analysed; every contender runs on a fresh copy (CREATE DATABASE ... TEMPLATE).
The night is the seeding day + 2 days (every step has work). Shared runs cut the book into
``--partitions`` parts (the same for every worker count), claimed from the database. With
``--check`` every shared result is compared row by row with the single run's.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PREFIX = "queue_bench_cw"
BOOK, RUN = f"{PREFIX}_book", f"{PREFIX}_run"
PORTAL = Path(sys.executable).parent / "portal"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to measure (default 1,2,4)")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--check", action="store_true", help="compare each shared result with the single run")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    return parser.parse_args(argv)


def admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def copy(server: str, source: str, target: str) -> None:
    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def drop(server: str, *names: str) -> None:
    with admin(server) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(server: str, name: str, data_dir: Path) -> dict:
    return {**os.environ, "DATABASE_URL": f"{server}/{name}", "PORTAL_DATA_DIR": str(data_dir),
            "PORTAL_ENV": "test", "PORTAL_PAYMENTS": "off", "PORTAL_LOG_FORMAT": "text"}


def seed_book(args, data_dir: Path) -> date:
    from sqlalchemy import text

    from portal.config import Settings
    from portal.demo.bulk import bulk_seed
    from portal.demo.bulk.elections import add_elections
    from portal.migrate import upgrade
    from portal.wiring import build_engine, build_platform

    drop(args.server, BOOK)
    with admin(args.server) as connection:
        connection.execute(f'CREATE DATABASE "{BOOK}"')
    settings = Settings.from_env(env_for(args.server, BOOK, data_dir))
    engine = build_engine(settings)
    today = date.today()
    try:
        upgrade(engine)
        started = time.perf_counter()
        bulk_seed(build_platform(settings, engine=engine), engine, policies=args.policies, progress=lambda _l: None)
        with engine.begin() as connection:
            add_elections(connection, today)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        print(f"Seeded {args.policies:,} policies in {time.perf_counter() - started:.1f} s.")
    finally:
        engine.dispose()
    return today


def fresh_data_dir(data_dir: Path) -> Path:
    """The book's key ring, and an object store of its own: the night's signed audit checkpoint
    belongs to the copy that took it (another copy's chain would rightly be refused)."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="bench-cycle-workers-run-"))
    shutil.copytree(data_dir / "keys", folder / "keys")
    return folder


def timed(commands: list[list[str]], env: dict) -> float:
    started = time.perf_counter()
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    for process in processes:
        _out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(processes[0].args[:3])} failed:\n{err[-2000:]}")
    return time.perf_counter() - started


def snapshot_of(server: str, name: str) -> dict:
    from sqlalchemy import create_engine

    from iaas.database import normalise_url
    from tests.cycle_support import snapshot

    engine = create_engine(normalise_url(f"{server}/{name}"))
    with engine.connect() as connection:
        result = snapshot(connection)
    engine.dispose()
    return result


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-cycle-workers-"))
    print(f"Shared-cycle benchmark, {date.today().isoformat()}, {os.cpu_count()} cores, {args.policies:,} policies, "
          f"batches of {args.batch_size:,}, {args.partitions} partitions.")
    day = seed_book(args, data_dir) + timedelta(days=2)
    common = ["--date", day.isoformat(), "--batch-size", str(args.batch_size)]
    copy(args.server, BOOK, RUN)
    single = timed([[str(PORTAL), "cycle", "run", *common]], env_for(args.server, RUN, fresh_data_dir(data_dir)))
    print(f"  single run (portal cycle run)      {single:8.1f} s")
    reference = snapshot_of(args.server, RUN) if args.check else None
    results = []
    for workers in (int(n) for n in args.workers.split(",")):
        copy(args.server, BOOK, RUN)
        command = [str(PORTAL), "cycle", "share", *common, "--partitions", str(args.partitions)]
        seconds = timed([command] * workers, env_for(args.server, RUN, fresh_data_dir(data_dir)))
        same = ""
        if reference is not None:
            from tests.cycle_support import differences

            same = "  same result as the single run" if not differences(reference, snapshot_of(args.server, RUN)) \
                else "  RESULT DIFFERS"
        results.append((workers, seconds))
        print(f"  shared, {workers} worker(s)               {seconds:8.1f} s  = {single / seconds:4.2f}x the single run{same}")
    drop(args.server, RUN, BOOK)
    return 0


if __name__ == "__main__":
    sys.exit(main())
