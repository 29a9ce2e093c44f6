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
ASSET_SHEET_GOAL_RATIO = 0.60
ASSET_SHEET_GOAL_P99_MS = 50.0


def compare_with_hello(results: list[Result]) -> None:
    """Each page's ratios to hello (the first result): of req/s, and of CPU per request."""
    base = results[0].requests_per_second
    base_cpu = results[0].server_cpu_ms
    for result in results:
        result.ratio = result.requests_per_second / base if base else None
        if base_cpu and result.server_cpu_ms:
            result.cpu_ratio = base_cpu / result.server_cpu_ms


def print_table(results: list[Result], data: dict, args) -> None:
    print()
    print(f"{'endpoint':<36} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs hello':>9}   "
          f"{'server CPU ms/req':>17} {'vs hello':>9}")
    for r in results:
        if r.server_cpu_ms and r.cpu_ratio:
            cpu = f"{r.server_cpu_ms:17.2f} {r.cpu_ratio:9.0%}"
        else:
            cpu = f"{'-':>17} {'-':>9}"
        print(f"{r.name + ' ' + r.path:<36} {r.requests_per_second:8,.0f} {r.p50_ms:7.1f} {r.p99_ms:7.1f} "
              f"{r.ratio:9.0%}   {cpu}")
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
    print(f"  asset sheet >= {ASSET_SHEET_GOAL_RATIO:.0%} of hello's req/s: {sheet.ratio:.0%} "
          f"{verdict(sheet.ratio >= ASSET_SHEET_GOAL_RATIO)}")
    print(f"  asset sheet p99 <= {ASSET_SHEET_GOAL_P99_MS:.0f} ms: {sheet.p99_ms:.1f} ms "
          f"{verdict(sheet.p99_ms <= ASSET_SHEET_GOAL_P99_MS)}")


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
