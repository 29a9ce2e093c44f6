"""The figures: a table with the goals next to them, and a JSON file in bench/results/."""
from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from datetime import date

from bench.support import BENCH_DIR, ROOT
from bench.support.wrk import Result

# The goals (docs: /work/shared/DESIGN.md "Performance, measured by benchmarks").
SEED_GOAL_SECONDS = 120.0
SEED_GOAL_POLICIES = 1_000_000
# Issue 17: the pages as a share of the signed-in empty route (the design's own floor), which
# is itself a share of hello.
SIGNED_IN_EMPTY = "signed-in empty"
SIGNED_IN_GOAL_RATIO = 0.35
ASSET_SHEET_GOAL_RATIO = 0.80
ASSET_SHEET_GOAL_P99_MS = 50.0
POLICY_PAGE_GOAL_RATIO = 0.60
POLICY_PAGE_GOAL_P99_MS = 75.0


def compare_with_hello(results: list[Result]) -> None:
    """Each page's ratios to hello (the first result): of req/s, and of CPU per request."""
    base = results[0].requests_per_second
    base_cpu = results[0].server_cpu_ms
    floor = next((r for r in results if r.name == SIGNED_IN_EMPTY), None)
    for result in results:
        result.ratio = result.requests_per_second / base if base else None
        if base_cpu and result.server_cpu_ms:
            result.cpu_ratio = base_cpu / result.server_cpu_ms
        if floor is not None and floor.requests_per_second:
            result.signed_in_ratio = result.requests_per_second / floor.requests_per_second


def print_table(results: list[Result], data: dict, args) -> None:
    print()
    print(f"{'endpoint':<40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs hello':>9} {'vs empty':>9}   "
          f"{'server CPU ms/req':>17} {'vs hello':>9}")
    for r in results:
        if r.server_cpu_ms and r.cpu_ratio:
            cpu = f"{r.server_cpu_ms:17.2f} {r.cpu_ratio:9.0%}"
        else:
            cpu = f"{'-':>17} {'-':>9}"
        empty = f"{r.signed_in_ratio:9.0%}" if r.signed_in_ratio is not None else f"{'-':>9}"
        print(f"{r.name + ' ' + r.path:<40} {r.requests_per_second:8,.0f} {r.p50_ms:7.1f} {r.p99_ms:7.1f} "
              f"{r.ratio:9.0%} {empty}   {cpu}")
    print("(server CPU: gunicorn workers + PostgreSQL backends per request - less sensitive than req/s to")
    print(" other load on a shared machine. The goals are on req/s.)")
    print()
    sheet = next(r for r in results if r.name == "asset sheet")
    seed = data.get("seed_seconds")
    policies = data.get("policies", 0)
    scaled = " (not measured at full scale)" if policies < SEED_GOAL_POLICIES else ""
    reused = " (from an earlier run: --reuse)" if data.get("reused") else ""
    print("Goals:")
    print(f"  seeding {SEED_GOAL_POLICIES:,} policies <= {SEED_GOAL_SECONDS:.0f} s: "
          f"{policies:,} policies in {seed} s{reused}{scaled} "
          f"{verdict(seed is not None and policies >= SEED_GOAL_POLICIES and seed <= SEED_GOAL_SECONDS)}")
    floor = next((r for r in results if r.name == SIGNED_IN_EMPTY), None)
    policy = next((r for r in results if r.name == "policy page"), None)
    if floor is not None:
        print(f"  signed-in empty route >= {SIGNED_IN_GOAL_RATIO:.0%} of hello's req/s: {floor.ratio:.0%} "
              f"{verdict(floor.ratio >= SIGNED_IN_GOAL_RATIO)}")
        print(f"  asset sheet >= {ASSET_SHEET_GOAL_RATIO:.0%} of the signed-in empty route: {sheet.signed_in_ratio:.0%} "
              f"{verdict(sheet.signed_in_ratio >= ASSET_SHEET_GOAL_RATIO)}")
    print(f"  asset sheet p99 <= {ASSET_SHEET_GOAL_P99_MS:.0f} ms: {sheet.p99_ms:.1f} ms "
          f"{verdict(sheet.p99_ms <= ASSET_SHEET_GOAL_P99_MS)}")
    if floor is not None and policy is not None:
        print(f"  policy page >= {POLICY_PAGE_GOAL_RATIO:.0%} of the signed-in empty route: "
              f"{policy.signed_in_ratio:.0%} {verdict(policy.signed_in_ratio >= POLICY_PAGE_GOAL_RATIO)}")
        print(f"  policy page p99 <= {POLICY_PAGE_GOAL_P99_MS:.0f} ms: {policy.p99_ms:.1f} ms "
              f"{verdict(policy.p99_ms <= POLICY_PAGE_GOAL_P99_MS)}")


def verdict(ok: bool) -> str:
    return "[met]" if ok else "[MISSED]"


def save(results: list[Result], data: dict, args) -> None:
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"web_pages-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({
        "date": date.today().isoformat(),
        "cores": os.cpu_count(),
        "gunicorn": {"worker_class": args.worker_class, "workers": args.workers, "threads": args.threads},
        "wrk": {"connections": args.connections, "threads": args.wrk_threads, "duration": args.duration,
                "warmup": args.warmup, "rounds": args.rounds},
        "data": data,
        "results": [asdict(r) for r in results],
    }, indent=2))
    print(f"(figures saved in {path.relative_to(ROOT)})")
