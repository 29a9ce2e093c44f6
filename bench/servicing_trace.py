"""One servicing client, alone and serial, on the benchmark's database (run bench/servicing.py
once first): CPU and round trips per applied request, each statement sent, and optionally a
profile. The figures that move least when the machine is shared. PostgreSQL's CPU is its
backends' for the benchmark's database (run nothing else on it meanwhile).

    .venv/bin/python bench/servicing_trace.py                 # 200 address changes + 200 withdrawals
    .venv/bin/python bench/servicing_trace.py --statements    # also list every statement of one of each
    .venv/bin/python bench/servicing_trace.py --profile       # cProfile of the loop, top 30 by own time
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.support.data import database_url  # noqa: E402
from bench.support.round_trips import RoundTrips  # noqa: E402
from bench.support.servers import server_cpu_seconds  # noqa: E402
from bench.support.servicing_clients import change_address, withdraw_dividends  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="requests of each kind (default 200)")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="profile order (tottime, cumulative)")
    parser.add_argument("--only", nargs="*", default=[], help="profile lines matching these patterns")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="portal_bench_servicing")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench_servicing")
    args = parser.parse_args(argv)

    from bench.support.servicing_data import prepare_work, tidy
    from portal.config import Settings
    from portal.wiring import build_engine, build_platform

    settings = Settings.from_env({"DATABASE_URL": database_url(args.server, args.database),
                                  "PORTAL_DATA_DIR": str(args.data_dir), "PORTAL_PAYMENTS": "off"})
    engine = build_engine(settings)
    platform = build_platform(settings, engine=engine)
    works = prepare_work(platform, 1, 40)[0]
    tidy(settings.database_url)  # as a live database would be (bench.support.servicing_data.tidy)
    run = uuid.uuid4().hex[:8]
    for n in range(20):  # warm: caches, prepared statements, the pool
        change_address(platform, works[n % 40], f"trace-{run}-w{n}", n)
        withdraw_dividends(platform, works[n % 40], f"trace-{run}-v{n}")
    trips = RoundTrips(engine)
    if args.statements:
        sent = []
        event.listen(engine, "before_cursor_execute", lambda c, cur, statement, *a: sent.append(statement))
        for label, call in (("address change", lambda: change_address(platform, works[0], f"trace-{run}-s1", 1)),
                            ("dividend withdrawal", lambda: withdraw_dividends(platform, works[1], f"trace-{run}-s2"))):
            sent.clear()
            trips.reset()
            call()
            print(f"--- {label}: {trips.total} round trips {trips.counts}")
            for statement in sent:
                print("   ", " ".join(statement.split())[:160])
    for label, call in (("address change", lambda n: change_address(platform, works[n % 40], f"trace-{run}-a{n}", n)),
                        ("dividend withdrawal", lambda n: withdraw_dividends(platform, works[n % 40], f"trace-{run}-d{n}"))):
        profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waiting
        trips.reset()
        cpu, wall = time.process_time(), time.perf_counter()
        database_cpu = server_cpu_seconds(-1, args.database) or 0.0  # this database's backends: this client's alone
        if profiler:
            profiler.enable()
        for n in range(args.n):
            call(n)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        database_cpu = (server_cpu_seconds(-1, args.database) or 0.0) - database_cpu
        print(f"{label}: {1000 * cpu / args.n:.2f} ms CPU, PostgreSQL {1000 * database_cpu / args.n:.2f} ms CPU, "
              f"{1000 * wall / args.n:.2f} ms wall, "
              f"{trips.total / args.n:.1f} round trips per request {({k: round(v / args.n, 1) for k, v in trips.counts.items()})}")
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(*args.only, 40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
