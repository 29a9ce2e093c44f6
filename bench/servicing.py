"""Servicing benchmark: applied servicing requests per second on PostgreSQL, next to pgbench's
TPC-B-like read-write figure measured in the same run on the same server.

    .venv/bin/python bench/servicing.py                 # 50,000 policies, 16 clients, 15 s
    .venv/bin/python bench/servicing.py --reuse         # keep the data of the last run
    .venv/bin/python bench/servicing.py --rounds 3      # median of three interleaved rounds

The database ``portal_bench_servicing`` is created afresh (bulk seeder plus the demo cast).
16 clients, threads of two worker processes (one per core, as gunicorn's workers would
serve them; ``--processes 16`` gives each client a process of its own), call the servicing
engine directly, as the web does, each on policies of its own: an address change (applied at once, one transaction), then a dividend withdrawal
(started - the SMS code queued in the outbox - then confirmed with that code: two
transactions), and so on. A commit here is one applied request. Goals (issue 17): >= 250
applied requests per second, >= 10% of pgbench's transactions per second, <= 6 ms of Python
and <= 2 ms of PostgreSQL per applied request.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support import BENCH_DIR  # noqa: E402 - needs ROOT on the path
from bench.support import pgbench  # noqa: E402
from bench.support.data import database_url, prepare_data  # noqa: E402
from bench.support.servers import server_cpu_seconds  # noqa: E402
from bench.support.servicing_clients import run_worker  # noqa: E402
from bench.support.servicing_data import tidy  # noqa: E402

# Issue 17's goals (2 cores): the rate, its share of pgbench, and CPU per applied request.
GOAL_PER_SECOND = 250.0
GOAL_SHARE_OF_PGBENCH = 0.10
GOAL_DATABASE_MS = 2.0
GOAL_PYTHON_MS = 6.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=50_000, help="bulk-seeded policies (default 50,000)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2,
                        help="worker processes serving the clients in threads, as gunicorn's workers would "
                             "(default: one per core; --processes 16 gives each client a process of its own)")
    parser.add_argument("--per-client", type=int, default=40, help="policies each client works on (default 40)")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured, each side (default 15)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; the median is reported")
    parser.add_argument("--pgbench-scale", type=int, default=16, help="pgbench -i scale (default 16, one branch per client)")
    parser.add_argument("--pgbench-threads", type=int, default=2, help="pgbench -j (default 2)")
    parser.add_argument("--reuse", action="store_true", help="keep the database and key ring of the last run")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="portal_bench_servicing")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench_servicing")
    args = parser.parse_args(argv)
    args.ratelimit = "memory://"  # what bench.support.data expects
    return args


def run_servicing(args, url: str, works: list) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 8 + args.clients * 0.4  # every client imported, connected and warm by then
    workers = max(1, min(args.processes, args.clients))
    processes = [context.Process(target=run_worker, args=(i, url, str(args.data_dir), works[i::workers], start_at,
                                                          args.duration, results))
                 for i in range(workers)]
    for process in processes:
        process.start()
    # PostgreSQL's share of the CPU: its backends for this database, sampled while they live.
    time.sleep(max(0.0, start_at - time.time()))
    database_cpu = -(server_cpu_seconds(-1, args.database) or 0.0)
    time.sleep(max(0.0, start_at + args.duration - time.time()))
    database_cpu += server_cpu_seconds(-1, args.database) or 0.0
    reports = []
    while len(reports) < len(processes):
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            if not any(p.is_alive() for p in processes) and results.empty():
                raise SystemExit("a worker process died (its error is above)") from None
    for process in processes:
        process.join()
    late = sum(r["idle_clients"] for r in reports)
    counts = {k: sum(r["counts"][k] for r in reports) for k in ("address", "withdrawal", "errors")}
    latencies = {k: sorted(x for r in reports for x in r["latencies"][k]) for k in ("address", "withdrawal")}
    applied = counts["address"] + counts["withdrawal"]
    client_cpu = sum(r["cpu_seconds"] for r in reports)
    trips = {k: sum(r["round_trips"][k] for r in reports) for k in reports[0]["round_trips"]}
    return {"applied_per_second": applied / args.duration, **counts, "idle_clients": late,
            "round_trips_per_request": sum(trips.values()) / max(1, applied + counts["errors"]),
            "round_trips": trips,
            "client_cpu_ms": 1000 * client_cpu / max(1, applied), "database_cpu_ms": 1000 * database_cpu / max(1, applied),
            **{f"{k}_p50_ms": 1000 * v[len(v) // 2] for k, v in latencies.items() if v},
            **{f"{k}_p99_ms": 1000 * v[int(len(v) * 0.99)] for k, v in latencies.items() if v}}


def report(rounds: list[dict], args) -> dict:
    servicing = statistics.median(r["servicing"]["applied_per_second"] for r in rounds)
    tps = statistics.median(r["pgbench_tps"] for r in rounds)
    share = servicing / tps
    last = rounds[-1]["servicing"]
    print(f"\nServicing, {args.clients} clients in {min(args.processes, args.clients)} processes, {args.duration} s: "
          f"{servicing:,.0f} applied requests/s "
          f"(address changes {last['address']:,}, dividend withdrawals {last['withdrawal']:,}, errors {last['errors']}; "
          f"p50/p99 ms: address {last.get('address_p50_ms', 0):.1f}/{last.get('address_p99_ms', 0):.1f}, "
          f"withdrawal start+confirm {last.get('withdrawal_p50_ms', 0):.1f}/{last.get('withdrawal_p99_ms', 0):.1f})")
    print(f"CPU per applied request: clients (the engine, in Python) {last['client_cpu_ms']:.1f} ms, "
          f"PostgreSQL backends {last['database_cpu_ms']:.1f} ms; round trips per applied request "
          f"{last['round_trips_per_request']:.1f} ({', '.join(f'{k} {v:,}' for k, v in last['round_trips'].items())}, "
          f"the deliveries are the job worker's: bench/servicing_http.py runs one)")
    print(f"pgbench TPC-B-like, -c {args.clients} -j {args.pgbench_threads} -T {args.duration}, "
          f"scale {args.pgbench_scale}: {tps:,.0f} tps")
    print(f"Servicing / pgbench: {share:.0%}")
    print(f"Goals: >= {GOAL_PER_SECOND:.0f}/s: {'met' if servicing >= GOAL_PER_SECOND else 'MISSED'}; "
          f">= {GOAL_SHARE_OF_PGBENCH:.0%} of pgbench: {'met' if share >= GOAL_SHARE_OF_PGBENCH else 'MISSED'}; "
          f"Python <= {GOAL_PYTHON_MS:.0f} ms: {'met' if last['client_cpu_ms'] <= GOAL_PYTHON_MS else 'MISSED'}; "
          f"PostgreSQL <= {GOAL_DATABASE_MS:.0f} ms: {'met' if last['database_cpu_ms'] <= GOAL_DATABASE_MS else 'MISSED'}")
    if len(rounds) > 1:
        print("All rounds: " + "; ".join(f"{r['servicing']['applied_per_second']:,.0f}/s vs {r['pgbench_tps']:,.0f} tps"
                                         for r in rounds))
    return {"applied_per_second": servicing, "pgbench_tps": tps, "share": share, "rounds": rounds}


def main(argv=None) -> int:
    args = parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    pgbench.find_pgbench()  # fail early, with the install hint
    print(f"Servicing benchmark, {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores.")
    url = database_url(args.server, args.database)
    data = prepare_data(args, args.data_dir, url)
    works = prepare(args, url)
    print(f"pgbench: initialising scale {args.pgbench_scale} ...")
    scratch = f"{args.database}_pgbench"  # its own: another benchmark may be running pgbench meanwhile
    pgbench.initialise(args.server, args.pgbench_scale, scratch)
    rounds = []
    for number in range(args.rounds):
        tidy(url)  # as a live database would be (bench.support.servicing_data.tidy)
        contenders = [lambda: ("servicing", run_servicing(args, url, works)),
                      lambda: ("pgbench_tps", pgbench.read_write_tps(args.server, args.clients, args.pgbench_threads,
                                                                     args.duration, scratch))]
        rounds.append(dict(c() for c in (contenders if number % 2 == 0 else contenders[::-1])))
        print(f"round {number + 1}: {rounds[-1]['servicing']['applied_per_second']:,.0f} applied/s, "
              f"pgbench {rounds[-1]['pgbench_tps']:,.0f} tps")
    pgbench.drop(args.server, scratch)
    figures = report(rounds, args)
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    path = results / f"servicing-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"data": data, "args": {k: str(v) for k, v in vars(args).items()}, **figures}, indent=2))
    print(f"Figures written to {path.relative_to(ROOT)}")
    return 0


def prepare(args, url: str) -> list:
    from bench.support.servicing_data import prepare_work
    from portal.config import Settings
    from portal.migrate import upgrade
    from portal.wiring import build_engine, build_platform

    settings = Settings.from_env({"DATABASE_URL": url, "PORTAL_DATA_DIR": str(args.data_dir), "PORTAL_PAYMENTS": "off"})
    engine = build_engine(settings)
    upgrade(engine)  # reused data follows the schema of the code measured
    platform = build_platform(settings, engine=engine)
    works = prepare_work(platform, args.clients, args.per_client)
    print(f"{args.clients} clients, {args.per_client} policies each (participating, in force, distinct owners).")
    return works


if __name__ == "__main__":
    sys.exit(main())
