"""Nightly cycle benchmark: the cycle over 1,000,000 policies on PostgreSQL next to a bare
set-based SQL pass over the same rows, measured in the same run on the same machine.

    .venv/bin/python bench/cycle.py                  # 1,000,000 policies, one round
    .venv/bin/python bench/cycle.py --rounds 2       # measure twice (fresh copies each time)
    .venv/bin/python bench/cycle.py --policies 20000 --database portal_cycle_small   # a quick look

The data is the web benchmark's database ``portal_bench`` (bulk-seeded first if it is not
there). It is copied into a book, migrated and given elections (automatic premium loans,
dividend options, loans, money held). Each round makes two fresh copies of the book: on one
the cycle runs the day (``paas.cycle.runner.run_cycle``, what ``portal cycle run`` does: batches
of 50,000 ids, one transaction each, progress rows, audit, the actuarial engine); on the other
the bare pass (bench/support/bare_cycle.py) runs the same steps as plain statements over all
rows. The day is the second night after the data's date, so every step has its night's work.
Goals: the cycle <= 60 s, and <= 5 times the bare pass.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support import BENCH_DIR  # noqa: E402 - needs ROOT on the path
from bench.support.bare_cycle import STEPS, parameters  # noqa: E402
from bench.support.cycle_data import BOOK, copy_database, drop_database, prepare_book, seed_date, warm  # noqa: E402
from bench.support.data import database_url, prepare_data  # noqa: E402

GOAL_SECONDS = 60.0
GOAL_RATIO = 5.0
RUN, BARE = "portal_cycle_run", "portal_cycle_bare"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=1_000_000, help="policies in the data (default 1,000,000)")
    parser.add_argument("--date", type=date.fromisoformat, help="the night to run (default: data's date + 2 days)")
    parser.add_argument("--rounds", type=int, default=1, help="measurements, each on fresh copies (default 1)")
    parser.add_argument("--batch-size", type=int, default=50_000, help="policy ids per batch (default 50,000)")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="portal_bench", help="the seeded database to copy (default portal_bench)")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench",
                        help="its data folder (key ring, bench-data.json); default <tmp>/portal_bench")
    args = parser.parse_args(argv)
    args.reuse, args.ratelimit = True, "memory://"  # what bench.support.data expects
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"Cycle benchmark, {date.today().isoformat()}, {os.cpu_count()} cores.")
    data = prepare_data(args, args.data_dir.resolve(), database_url(args.server, args.database))
    today = seed_date(args.data_dir)
    day = args.date or today + timedelta(days=2)
    prepare_book(args.server, args.database, args.data_dir, today)
    groups = product_groups(args.server)
    rounds = []
    for number in range(args.rounds):
        copy_database(args.server, BOOK, RUN)
        copy_database(args.server, BOOK, BARE)
        warm(args.server, RUN)
        warm(args.server, BARE)
        contenders = [lambda: ("bare", run_bare(args.server, day, groups)), lambda: ("cycle", run_cycle(args, day))]
        measured = dict(c() for c in (contenders if number % 2 == 0 else contenders[::-1]))
        rounds.append(measured)
        report(measured, day, number + 1)
    for name in (RUN, BARE, BOOK):
        drop_database(args.server, name)
    if len(rounds) > 1:
        print("\nAll rounds: cycle " + ", ".join(f"{r['cycle']['seconds']:.1f} s" for r in rounds)
              + "; bare pass " + ", ".join(f"{r['bare']['seconds']:.1f} s" for r in rounds)
              + "; ratio " + ", ".join(f"{r['cycle']['seconds'] / r['bare']['seconds']:.2f}" for r in rounds))
    save(rounds, data, day, args)
    return 0


def product_groups(server: str) -> tuple[list[int], list[int]]:
    from paas.cycle.batch import ProductGroups
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from iaas.database import normalise_url

    engine = create_engine(normalise_url(database_url(server, BOOK)))
    with Session(engine) as session:
        groups = ProductGroups.load(session)
    engine.dispose()
    return list(groups.participating), list(groups.endowment)


def run_bare(server: str, day: date, groups: tuple[list[int], list[int]]) -> dict:
    import psycopg

    params = parameters(day, *groups)
    steps, started = {}, time.perf_counter()
    with psycopg.connect(database_url(server, BARE)) as connection:
        for step, statements in STEPS.items():
            begun, rows = time.perf_counter(), 0
            for statement in statements:
                rows += max(connection.execute(statement, params).rowcount, 0)
            steps[step] = {"seconds": time.perf_counter() - begun, "rows": rows}
        connection.commit()
    return {"seconds": time.perf_counter() - started, "steps": steps}


def run_cycle(args, day: date) -> dict:
    from paas.cycle.batch import CycleOptions
    from paas.cycle.runner import run_cycle as cycle
    from portal.config import Settings
    from portal.wiring import build_engine, build_platform

    data_dir = Path(tempfile.mkdtemp(prefix="bench-cycle-"))
    settings = Settings.from_env({"DATABASE_URL": database_url(args.server, RUN), "PORTAL_DATA_DIR": str(data_dir),
                                  "PORTAL_PAYMENTS": "off"})
    engine = build_engine(settings)
    platform = build_platform(settings, engine=engine)
    started = time.perf_counter()
    reports = cycle(platform, day, options=CycleOptions(batch_size=args.batch_size), progress=_progress)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "steps": {r.step: {"seconds": r.seconds, "rows": r.touched, "batches": r.batches}
                                          for r in reports if r.status == "done"}}


def _progress(p) -> None:
    if p.batch == p.batches:
        print(f"    cycle {p.step:<14} {p.batches} batches, {p.touched:,} policies, {p.seconds:.2f} s", flush=True)


def report(measured: dict, day: date, number: int) -> None:
    cycle, bare = measured["cycle"], measured["bare"]
    print(f"\nRound {number}, night of {day.isoformat()}:")
    print(f"  {'step':<15} {'cycle s':>8} {'policies':>9}   {'bare s':>7} {'rows':>8}")
    for step, figures in bare["steps"].items():  # fund orders, payments, claims: nothing to do in the book
        mine = cycle["steps"].get(step, {})
        print(f"  {step:<15} {mine.get('seconds', 0):8.2f} {mine.get('rows', 0):9,}   "
              f"{figures['seconds']:7.2f} {figures['rows']:8,}")
    ratio = cycle["seconds"] / bare["seconds"]
    print(f"  {'total':<15} {cycle['seconds']:8.2f} {'':9}   {bare['seconds']:7.2f}")
    print(f"  cycle {cycle['seconds']:.1f} s <= {GOAL_SECONDS:.0f} s: {verdict(cycle['seconds'] <= GOAL_SECONDS)}")
    print(f"  cycle / bare pass = {ratio:.2f} <= {GOAL_RATIO:.0f}: {verdict(ratio <= GOAL_RATIO)}")


def verdict(ok: bool) -> str:
    return "[met]" if ok else "[MISSED]"


def save(rounds: list[dict], data: dict, day: date, args) -> None:
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"cycle-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"date": date.today().isoformat(), "night": day.isoformat(), "cores": os.cpu_count(),
                                "batch_size": args.batch_size, "data": data, "rounds": rounds}, indent=2))
    print(f"(figures saved in {path.relative_to(ROOT)})")


if __name__ == "__main__":
    sys.exit(main())
