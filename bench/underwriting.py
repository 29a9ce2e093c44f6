"""Underwriting benchmark, two figures:

1. Rule evaluation in one process: applications judged per second by the evaluator on the demo
   mix (bench/support/underwriting_mix.py), next to a bare pass over the same applications that
   only reads their fields (the floor Python itself sets); the mix's straight-through rate and
   referral reasons ranked. Goal: >= 5,000 applications per second.
2. End to end on PostgreSQL: an application submitted, decided straight through, its first
   premium paid through the sandbox payment provider (the signed webhook handled as the web
   would) and the policy issued — three transactions, as a person's three requests make them —
   by ``--clients`` threads, next to pgbench's TPC-B-like figure measured in the same run on the
   same server with as many clients (the servicing benchmark's baseline, bench/support/pgbench.py).

    .venv/bin/python bench/underwriting.py                  # 20,000 judged; 4 clients x 15 s
    .venv/bin/python bench/underwriting.py --skip-e2e       # the rules only (no PostgreSQL)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support import BENCH_DIR, pgbench  # noqa: E402 - needs ROOT on the path
from bench.support.underwriting_mix import demo_facts  # noqa: E402

GOAL_RULES_PER_SECOND = 5_000.0
DATABASE = "portal_bench_underwriting"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=20_000, help="applications judged (default 20,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over them; the best is reported")
    parser.add_argument("--clients", type=int, default=4, help="end-to-end clients (threads; default 4)")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured, each side (default 15)")
    parser.add_argument("--pgbench-scale", type=int, default=4)
    parser.add_argument("--skip-e2e", action="store_true", help="the rule evaluation only")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench_underwriting")
    return parser.parse_args(argv)


def bench_rules(args) -> dict:
    from paas.underwriting.evaluator import evaluate

    mix = demo_facts(args.applications)

    def floor():
        return [(f.product, f.age, f.height_cm, f.weight_kg, f.occupation_class, f.sum_assured, f.income, f.answers)
                for f in mix]

    def judged():
        return [evaluate(f) for f in mix]

    best_floor = min(_timed(floor) for _ in range(args.repeat))
    best = min(_timed(judged) for _ in range(args.repeat))
    verdicts = judged()
    outcomes = Counter(v.outcome for v in verdicts)
    reasons = Counter(code for v in verdicts if v.outcome != "accept" for code in set(v.codes))
    per_second = len(mix) / best
    print(f"Rules: {len(mix):,} applications in {best:.3f} s = {per_second:,.0f}/s "
          f"(bare pass over the fields {len(mix) / best_floor:,.0f}/s; evaluator {best / best_floor:.0f}x the floor). "
          f"Goal >= {GOAL_RULES_PER_SECOND:,.0f}/s: {'met' if per_second >= GOAL_RULES_PER_SECOND else 'MISSED'}")
    stp = outcomes["accept"] / len(mix)
    print(f"Demo mix: straight through {stp:.1%}, referred {outcomes['refer'] / len(mix):.1%}, "
          f"declined {outcomes['decline'] / len(mix):.1%}")
    print("Referral reasons: " + ", ".join(f"{code} {n / len(mix):.1%}" for code, n in reasons.most_common(8)))
    return {"per_second": per_second, "floor_per_second": len(mix) / best_floor, "straight_through": stp,
            "outcomes": dict(outcomes), "reasons": dict(reasons.most_common())}


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _platform(args, url: str):
    from iaas.payments.sandbox import SandboxGateway, SandboxStore
    from portal.config import Settings
    from portal.migrate import upgrade
    from portal.wiring import build_engine, build_platform

    args.data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env({"DATABASE_URL": url, "PORTAL_DATA_DIR": str(args.data_dir), "PORTAL_PAYMENTS": "off",
                                  "PORTAL_ARGON2_TIME_COST": "1", "PORTAL_ARGON2_MEMORY_KIB": "8192"})
    engine = build_engine(settings)
    upgrade(engine)
    platform = build_platform(settings, engine=engine)
    store = args.data_dir / "payments-sandbox.sqlite3"
    store.unlink(missing_ok=True)
    platform.payments = SandboxGateway(SandboxStore(store), "whsec_bench", "http://127.0.0.1:8000/sandbox/checkout/{session_id}",
                                       delivery=None)
    return platform


def _applicants(platform, count: int) -> list:
    from paas.customers.registry import NewCustomer, register_customer
    from paas.products.catalogue import sync_catalogue
    from paas.security.accounts import create_policyholder_account
    from paas.security.sessions import principal_of
    from portal.demo.people import resident_id

    who = []
    with platform.unit_of_work() as uow:
        sync_catalogue(uow.session)
        for n in range(count):
            born = date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
            customer = register_customer(uow, NewCustomer(f"投保人{n}", "MF"[n % 2], born, resident_id("110105", born, n % 1000)))
            who.append(principal_of(create_policyholder_account(uow, customer, "bench-password-9")))
        uow.commit()
    return who


FORM = {"insured": "self", "sum_assured": "300000", "term": "20", "premium_term": "term", "mode": "annual",
        "occupation_class": "1", "height_cm": "170", "weight_kg": "65", "income": "200000", "cover_elsewhere": "0",
        "payment_method": "online", "declare_truth": "yes", "consent_data": "yes",
        "beneficiary_1_name": "配偶", "beneficiary_1_relationship": "spouse", "beneficiary_1_share": "100"}


def _one_application(platform, who, lock: threading.Lock) -> bool:
    from iaas.payments.sandbox import SUCCEEDING_CARD
    from iaas.payments.signature import signature_header
    from paas.billing.payments import ReturnUrls
    from paas.billing.webhooks import handle_event
    from paas.underwriting import applications, rulebook
    from paas.underwriting.issuing import start_first_premium

    form = {**FORM, **{f"q_{q.id}": "no" for q in rulebook.current().health}}
    with platform.unit_of_work() as uow:  # the submit request
        application = applications.start(uow, who, "TERM")
        applications.submit(uow, who, application.reference, form)
        reference = application.reference
        uow.commit()
    urls = ReturnUrls("http://127.0.0.1:8000/applications/x", "http://127.0.0.1:8000/applications/x")
    with platform.unit_of_work() as uow:  # the "pay" request
        started = start_first_premium(uow, who, reference, urls)
        uow.commit()
    gateway = platform.payments
    with lock:  # the sandbox's own store is one SQLite file: the provider, not us
        gateway.pay(started.checkout_url.rsplit("/", 1)[-1], SUCCEEDING_CARD)
        events = gateway.store.undelivered()
        gateway.store.execute("UPDATE events SET delivered_at = 1 WHERE delivered_at IS NULL")
    for event in events:  # the provider's webhook request
        body = json.dumps(event)
        with platform.unit_of_work() as uow:
            handle_event(uow, body.encode(), signature_header(body, "whsec_bench"))
            uow.commit()
    with platform.unit_of_work(read_only=True) as uow:
        return applications.mine(uow, who, reference).status == "issued"


def bench_end_to_end(args) -> dict:
    from bench.support.cycle_data import admin

    with admin(args.server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    platform = _platform(args, f"{args.server.rstrip('/')}/{DATABASE}")
    people = _applicants(platform, args.clients * 400)
    lock = threading.Lock()
    _one_application(platform, people.pop(), lock)  # warm: imports, caches, first connections
    latencies: list[float] = []
    failures = []
    stop_at = time.monotonic() + args.duration

    def client(mine):
        while mine and time.monotonic() < stop_at:
            started = time.perf_counter()
            if not _one_application(platform, mine.pop(), lock):
                failures.append(1)
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(people[i::args.clients],)) for i in range(args.clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    issued = len(latencies) - len(failures)
    per_second = issued / elapsed
    print(f"End to end: {issued:,} applications submitted, accepted straight through, paid and issued in "
          f"{elapsed:.1f} s by {args.clients} clients = {per_second:,.1f}/s "
          f"(median {statistics.median(latencies) * 1000:.0f} ms each, 3 transactions + the provider's call); "
          f"{len(failures)} not issued")
    with admin(args.server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    return {"issued_per_second": per_second, "issued": issued, "failures": len(failures),
            "median_ms": statistics.median(latencies) * 1000}


def main(argv=None) -> int:
    args = parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    print(f"Underwriting benchmark, {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores (shared machine).")
    figures = {"rules": bench_rules(args)}
    if not args.skip_e2e:
        pgbench.find_pgbench()
        figures["end_to_end"] = bench_end_to_end(args)
        pgbench.initialise(args.server, args.pgbench_scale)
        tps = pgbench.read_write_tps(args.server, args.clients, min(2, args.clients), args.duration)
        pgbench.drop(args.server)
        transactions = figures["end_to_end"]["issued_per_second"] * 3
        print(f"pgbench TPC-B-like, -c {args.clients} -T {args.duration}, scale {args.pgbench_scale}: {tps:,.0f} tps; "
              f"new business commits {transactions:,.0f} transactions/s = {transactions / tps:.0%} of pgbench")
        figures["pgbench_tps"] = tps
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    path = results / f"underwriting-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(figures, indent=2, default=str))
    print(f"Figures written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
