"""Web benchmark: the policyholder pages against a bare Flask "hello", side by side.

    .venv/bin/python bench/web_pages.py                   # full scale: 1,000,000 policies
    .venv/bin/python bench/web_pages.py --reuse           # keep the data of the last run
    .venv/bin/python bench/web_pages.py --policies 20000 --duration 5    # a quick look

Steps: create the PostgreSQL database ``portal_bench`` (dropped first), migrate it, bulk-load
the policies with ``portal.demo.bulk`` (timed), load the demo cast, start gunicorn twice with
identical settings - the portal (``portal.wsgi:app``) and ``bench/hello_app.py`` - sign in as
the demo policyholder, check that the pages really are the pages, then run wrk (after a
warm-up) against /hello, the asset sheet (/) and one policy page, and print req/s, p50, p99
and the ratio to hello's req/s, with the goals next to them. Needs wrk, PostgreSQL and
(for the shared sign-in throttle) Redis; see bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sys
import tempfile
import urllib.parse
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.data import database_url, prepare_data  # noqa: E402 - needs ROOT on the path
from bench.support.report import SIGNED_IN_EMPTY, compare_with_hello, print_table, save  # noqa: E402
from bench.support.servers import Server, server_environment  # noqa: E402
from bench.support.session import DEMO_LOGIN, check_page, sign_in  # noqa: E402
from bench.support.wrk import WRK_SCRIPT, Result, measure  # noqa: E402


# The floor of every signed-in page: the session checked on the server, nothing rendered.
SIGNED_IN_PATH = "/session/check"


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=1_000_000, help="policies to load (default 1,000,000)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run if it has the data")
    parser.add_argument("--duration", type=int, default=15, help="seconds of measurement per page (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page (default 3; 0: none)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every page this many times, interleaved, and keep the median (default 1)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--wrk-threads", type=int, default=1,
                        help="wrk threads (default 1: leave the cores to the servers)")
    # sync with one worker per core came out best for the portal on 2 cores (bench/README.md):
    # more workers only added context switches (CPU per request rose ~10% per extra worker);
    # gthread kept wrk's keep-alive connections wherever they were first accepted, so one
    # worker could end up with most of them and the rate halved from one run to the next.
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class for both servers (default sync)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="gunicorn workers for both servers (default: one per core)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1)")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server URL without a database (env BENCH_POSTGRES)")
    parser.add_argument("--database", default="portal_bench", help="database to (re)create (default portal_bench)")
    parser.add_argument("--ratelimit", default="redis://127.0.0.1:6379/0",
                        help="PORTAL_RATELIMIT_STORAGE for the portal")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench",
                        help="PORTAL_DATA_DIR shared by seeding and server (key ring); default <tmp>/portal_bench")
    parser.add_argument("--skip-pages", action="store_true", help="only load the data (and time it)")
    return parser.parse_args(argv)


def redis_reachable(uri: str) -> bool:
    if not uri.startswith("redis://"):
        return True
    parsed = urllib.parse.urlparse(uri)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None and not args.skip_pages:
        print("wrk is not installed. Install it first, e.g.: sudo apt-get install wrk", file=sys.stderr)
        return 2
    if not redis_reachable(args.ratelimit):
        print(f"Redis is not reachable at {args.ratelimit}; the portal uses memory:// instead.")
        args.ratelimit = "memory://"
    url = database_url(args.server, args.database)
    data_dir = args.data_dir.resolve()
    settings_line = (
        f"gunicorn --worker-class {args.worker_class} --workers {args.workers} --threads {args.threads}; "
        f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration:g}s (after {args.warmup:g}s warm-up)"
    )
    print(f"Web benchmark, {date.today().isoformat()}, {os.cpu_count()} cores. {settings_line}")

    data = prepare_data(args, data_dir, url)
    if args.skip_pages:
        return 0

    servers: list[Server] = []
    log_dir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    script = log_dir / "report.lua"
    script.write_text(WRK_SCRIPT)
    try:
        env = server_environment(url, data_dir, args)
        hello = Server("hello", "hello_app:app", env, args, log_dir)
        servers.append(hello)
        portal = Server("portal", "portal.wsgi:app", env, args, log_dir)
        servers.append(portal)
        hello.wait_ready("/hello")
        portal.wait_ready("/login")
        cookie, policy_path = sign_in_and_find_pages(portal, hello)
        results = measure_rounds(args, script, hello, portal, cookie, policy_path)
        # still signed in at the end: the figures were of the real pages throughout
        check_page(portal.port, "/", cookie, 'data-test="asset-sheet"')
    except KeyboardInterrupt:
        print("\nInterrupted; stopping the servers.", file=sys.stderr)
        return 130
    finally:
        for server in reversed(servers):
            server.stop()

    compare_with_hello(results)
    print_table(results, data, args)
    save(results, data, args)
    return 0


def sign_in_and_find_pages(portal: Server, hello: Server) -> tuple[str, str]:
    """Sign in as the demo policyholder and check the pages to measure; returns the session
    cookie a browser would now send and the path of the first policy on the asset sheet."""
    cookie = sign_in(portal.port)
    sheet, cookie = check_page(portal.port, "/", cookie, 'data-test="asset-sheet"')
    numbers = re.findall(r'href="/policies/([A-Z0-9]+)"', sheet)
    if not numbers:
        raise SystemExit("the asset sheet lists no policies")
    policy_path = f"/policies/{numbers[0]}"
    _page, cookie = check_page(portal.port, policy_path, cookie, 'data-test="sum-assured"')
    # settled: a browser sending this cookie gets no new one (nothing re-signed per request)
    _page, settled = check_page(portal.port, "/", cookie, 'data-test="asset-sheet"')
    if settled != cookie:
        print("note: the portal still sets a new session cookie on every page")
        cookie = settled
    check_page(hello.port, "/hello", None, "Hello")
    empty, _same = check_page(portal.port, SIGNED_IN_PATH, cookie, "")
    if empty:
        raise SystemExit(f"GET {SIGNED_IN_PATH} answered with a body: not the empty signed-in route")
    print(f"Signed in as {DEMO_LOGIN}; asset sheet lists {len(numbers)} policies; policy page {policy_path}.")
    return cookie, policy_path


def measure_rounds(args, script: Path, hello: Server, portal: Server, cookie: str, policy_path: str) -> list[Result]:
    """Hello, the asset sheet and the policy page, ``--rounds`` times; per page the round
    with the median request rate (other load on a shared machine comes and goes; the rounds
    interleave the pages so that it hits them alike)."""
    print(f"Measuring ({args.warmup:g} s warm-up + {args.duration:g} s each"
          + (f", {args.rounds} rounds" if args.rounds > 1 else "") + ") ...")
    rounds: list[list[Result]] = []
    for _round in range(args.rounds):
        rounds.append([
            measure(args, script, "hello", hello, "/hello", None),
            measure(args, script, SIGNED_IN_EMPTY, portal, SIGNED_IN_PATH, cookie),
            measure(args, script, "asset sheet", portal, "/", cookie),
            measure(args, script, "policy page", portal, policy_path, cookie),
        ])
    results = []
    for column in zip(*rounds):
        ranked = sorted(column, key=lambda r: r.requests_per_second)
        results.append(ranked[len(ranked) // 2])
    return results


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
