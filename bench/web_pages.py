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
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_LOGIN = "demo@example.com"
DEMO_PASSWORD = "demo-password-1"
SESSION_COOKIE = "portal_session"

# The goals (docs: /work/shared/DESIGN.md "Performance, measured by benchmarks").
SEED_GOAL_SECONDS = 120.0
SEED_GOAL_POLICIES = 1_000_000
ASSET_SHEET_GOAL_RATIO = 0.60
ASSET_SHEET_GOAL_P99_MS = 50.0

# wrk reports through this script: every status code it saw (wrk itself counts 3xx as
# success, and a redirect to /login must not pass for a page) and exact percentiles.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local seen = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      seen[code] = (seen[code] or 0) + count
    end
  end
  for code, count in pairs(seen) do
    io.write(string.format("BENCH status %d %d\n", code, count))
  end
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("BENCH p%d %d\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    not_ok: int  # responses other than 200
    socket_errors: int
    server_cpu_ms: float | None = None  # gunicorn + PostgreSQL CPU per request (noise-resistant)
    ratio: float | None = None
    cpu_ratio: float | None = None  # hello's server CPU per request / this page's


# ---------------------------------------------------------------------------------------------
# Database and data
# ---------------------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def database_state(server: str, name: str) -> int | None:
    """How many policies the database holds, or None if it does not exist / is not migrated."""
    import psycopg

    try:
        with psycopg.connect(database_url(server, name), connect_timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM policies").fetchone()[0]
    except psycopg.Error:
        return None


def recreate_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare_data(args, data_dir: Path, url: str) -> dict:
    """Fresh database, migrated, bulk-loaded (timed) and with the demo cast; or, with
    --reuse, the data of an earlier run if it is there. Returns what happened."""
    marker = data_dir / "bench-data.json"
    if args.reuse:
        count = database_state(args.server, args.database)
        if count is not None and count >= args.policies and marker.exists() and (data_dir / "keys").exists():
            info = json.loads(marker.read_text())
            print(f"Reusing database {args.database}: {count:,} policies (seeded on {info.get('date')} "
                  f"in {info.get('seed_seconds', 0):.1f} s).")
            info["reused"] = True
            return info
        print(f"--reuse: no usable data in {args.database} (or its key ring is gone); loading afresh.")

    from portal.config import Settings
    from portal.demo.bulk import bulk_seed
    from portal.demo.seed import seed_demo
    from portal.migrate import upgrade
    from portal.wiring import build_engine, build_platform

    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    print(f"Creating database {args.database} and migrating it ...")
    recreate_database(args.server, args.database)
    settings = Settings.from_env(server_environment(url, data_dir, args))
    engine = build_engine(settings)
    try:
        upgrade(engine)
        platform = build_platform(settings, engine=engine)
        print(f"Seeding {args.policies:,} policies ...")
        started = time.perf_counter()
        report = bulk_seed(platform, engine, policies=args.policies, customers=None, progress=print)
        seed_seconds = time.perf_counter() - started
        print(report.summary())
        print(f"Seeding took {seed_seconds:.1f} s.")
        seed_demo(platform)
        print("Demo cast loaded.")
    finally:
        engine.dispose()
    info = {
        "date": date.today().isoformat(),
        "policies": report.policies,
        "customers": report.customers,
        "beneficiaries": report.beneficiaries,
        "premiums": report.premiums,
        "seed_seconds": round(seed_seconds, 1),
        "phases": {k: round(v, 1) for k, v in report.phases.items()},
        "reused": False,
    }
    marker.write_text(json.dumps(info, indent=2))
    return info


# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------


def server_environment(url: str, data_dir: Path, args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=url,
        PORTAL_DATA_DIR=str(data_dir),
        PORTAL_RATELIMIT_STORAGE=args.ratelimit,
        PORTAL_ENV="development",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def server_cpu_seconds(master: int, database: str) -> float | None:
    """CPU used so far by a gunicorn master, its workers and the PostgreSQL backends of
    ``database`` (Linux /proc; None elsewhere). Other load on a shared machine does not
    count, which makes CPU per request steadier than requests per second."""
    if not Path("/proc/self/stat").exists():
        return None
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            if pid == master:
                ticks += _cpu_ticks(pid)
                continue
            with open(entry / "stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            if parent == master:
                ticks += _cpu_ticks(pid)
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            if command.startswith("postgres: ") and f" {database} " in command:
                ticks += _cpu_ticks(pid)
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


class Server:
    """One gunicorn master with its workers, in its own process group."""

    def __init__(self, name: str, app: str, env: dict[str, str], args, log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_dir / f"{name}.log"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn if gunicorn.exists() else "gunicorn"),
            "--config", "python:portal.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}",
            "--worker-class", args.worker_class,
            "--workers", str(args.workers),
            "--threads", str(args.threads),
            "--pythonpath", f"{ROOT},{BENCH_DIR}",
            app,
        ]
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name}: gunicorn exited ({self.process.returncode}); see {self.log_path}:\n"
                                 + self.log_path.read_text(errors="replace")[-3000:])
            try:
                status, _headers, _body = http_request(self.port, "GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name}: not answering on port {self.port} after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the master and its workers
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# ---------------------------------------------------------------------------------------------
# HTTP: sign in, check the pages
# ---------------------------------------------------------------------------------------------


def http_request(port: int, method: str, path: str, *, cookie: str | None = None, body: bytes | None = None,
                 content_type: str | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if content_type:
        headers["Content-Type"] = content_type
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def session_cookie(headers: http.client.HTTPMessage) -> str | None:
    for value in headers.get_all("Set-Cookie") or ():
        jar = SimpleCookie()
        jar.load(value)
        if SESSION_COOKIE in jar:
            return jar[SESSION_COOKIE].value
    return None


def sign_in(port: int) -> str:
    status, headers, page = http_request(port, "GET", "/login")
    if status != 200:
        raise SystemExit(f"GET /login answered {status}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    cookie = session_cookie(headers)
    if not token or not cookie:
        raise SystemExit("the sign-in page has no CSRF token or sets no session cookie")
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "identifier": DEMO_LOGIN, "password": DEMO_PASSWORD, "next": ""}
    ).encode()
    status, headers, page = http_request(
        port, "POST", "/login", cookie=f"{SESSION_COOKIE}={cookie}", body=form,
        content_type="application/x-www-form-urlencoded",
    )
    signed_in = session_cookie(headers)
    if status != 302 or not signed_in:
        raise SystemExit(f"signing in as {DEMO_LOGIN} failed: {status}\n{page[:500]}")
    return f"{SESSION_COOKIE}={signed_in}"


def check_page(port: int, path: str, cookie: str | None, must_contain: str) -> tuple[str, str | None]:
    """The page's HTML and the cookie to send from now on: like a browser, keep the session
    cookie a response sets (the first page after sign-in adds the CSRF token to it; sending
    the old one again would make every request mint a new token and re-sign the cookie)."""
    status, headers, page = http_request(port, "GET", path, cookie=cookie)
    if status != 200:
        where = headers.get("Location", "")
        raise SystemExit(f"GET {path} answered {status} {where} - not the page (signed out?)")
    if must_contain not in page:
        raise SystemExit(f"GET {path} answered 200 but without {must_contain!r}: not the expected page")
    renewed = session_cookie(headers)
    return page, (f"{SESSION_COOKIE}={renewed}" if renewed else cookie)


# ---------------------------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------------------------


def run_wrk(args, script: Path, port: int, path: str, cookie: str | None, seconds: float) -> dict:
    command = [
        "wrk", "--latency", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    figures: dict = {"statuses": {}, "output": completed.stdout}
    for line in completed.stdout.splitlines():
        parts = line.split()
        if not parts or parts[0] != "BENCH":
            continue
        if parts[1] == "status":
            figures["statuses"][int(parts[2])] = int(parts[3])
        else:
            figures[parts[1]] = int(parts[2])
    missing = {"p50", "p99", "requests", "duration_us"} - figures.keys()
    if missing:
        raise SystemExit(f"could not read wrk's report ({missing}):\n{completed.stdout}\n{completed.stderr}")
    return figures


def measure(args, script: Path, name: str, server: Server, path: str, cookie: str | None) -> Result:
    port = server.port
    if args.warmup > 0:
        run_wrk(args, script, port, path, cookie, args.warmup)
    cpu_before = server_cpu_seconds(server.process.pid, args.database)
    figures = run_wrk(args, script, port, path, cookie, args.duration)
    cpu_after = server_cpu_seconds(server.process.pid, args.database)
    ok = figures["statuses"].get(200, 0)
    requests = figures["requests"]
    result = Result(
        name=name,
        path=path,
        requests_per_second=requests / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50"] / 1000,
        p90_ms=figures.get("p90", 0) / 1000,
        p99_ms=figures["p99"] / 1000,
        requests=requests,
        not_ok=requests - ok,
        socket_errors=figures.get("socket_errors", 0),
    )
    if cpu_before is not None and cpu_after is not None and requests:
        result.server_cpu_ms = (cpu_after - cpu_before) / requests * 1000
    cpu = f", server CPU {result.server_cpu_ms:.2f} ms/req" if result.server_cpu_ms is not None else ""
    print(f"  {name:<12} {result.requests_per_second:8,.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
          f"p99 {result.p99_ms:6.1f} ms  ({requests:,} requests, statuses {figures['statuses']}{cpu})")
    if result.socket_errors:
        print(f"  warning: {result.socket_errors:,} socket errors or timeouts during {name}")
    if result.not_ok or ok == 0:
        raise SystemExit(f"{name}: {result.not_ok:,} of {requests:,} responses were not 200 "
                         f"({figures['statuses']}); the figures would be meaningless")
    return result


# ---------------------------------------------------------------------------------------------


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
    results: list[Result] = []
    try:
        env = server_environment(url, data_dir, args)
        hello = Server("hello", "hello_app:app", env, args, log_dir)
        servers.append(hello)
        portal = Server("portal", "portal.wsgi:app", env, args, log_dir)
        servers.append(portal)
        hello.wait_ready("/hello")
        portal.wait_ready("/login")

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
        print(f"Signed in as {DEMO_LOGIN}; asset sheet lists {len(numbers)} policies; policy page {policy_path}.")

        print(f"Measuring ({args.warmup:g} s warm-up + {args.duration:g} s each"
              + (f", {args.rounds} rounds" if args.rounds > 1 else "") + ") ...")
        rounds: list[list[Result]] = []
        for _round in range(args.rounds):
            rounds.append([
                measure(args, script, "hello", hello, "/hello", None),
                measure(args, script, "asset sheet", portal, "/", cookie),
                measure(args, script, "policy page", portal, policy_path, cookie),
            ])
        # per page, the round with the median request rate (other load on a shared machine
        # comes and goes; the rounds interleave the pages so that it hits them alike)
        for column in zip(*rounds):
            ranked = sorted(column, key=lambda r: r.requests_per_second)
            results.append(ranked[len(ranked) // 2])
        # still signed in at the end: the figures were of the real pages throughout
        check_page(portal.port, "/", cookie, 'data-test="asset-sheet"')
    except KeyboardInterrupt:
        print("\nInterrupted; stopping the servers.", file=sys.stderr)
        return 130
    finally:
        for server in reversed(servers):
            server.stop()

    base = results[0].requests_per_second
    base_cpu = results[0].server_cpu_ms
    for result in results:
        result.ratio = result.requests_per_second / base if base else None
        if base_cpu and result.server_cpu_ms:
            result.cpu_ratio = base_cpu / result.server_cpu_ms
    print_table(results, data, args)
    save(results, data, args)
    return 0


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


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
