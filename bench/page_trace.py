"""One signed-in page in-process (Flask's test client on the web benchmark's database, run
bench/web_pages.py once first): CPU and round trips per request, optionally a profile. The
same script runs against another checkout's code (``--code DIR``, e.g. an old commit in a
worktree) on the same database, to see where a page's time went between the two.

    .venv/bin/python bench/page_trace.py / /session/check          # CPU and round trips of each
    .venv/bin/python bench/page_trace.py / --profile               # and a CPU profile
    .venv/bin/python bench/page_trace.py / --code /tmp/old-speed   # the old code, same data

Side by side, which is what tells a change from the load of a shared machine: run two at once,
one with ``--code`` of the old tree, both with ``--alternate``; they take turns (a file lock)
in blocks of 100 requests, so whatever else runs hits both alike, and each prints the median
block. ``--wsgi`` calls the application directly with a prebuilt environ, as gunicorn does,
leaving out the test client's own cost (about a third of the session check's in-process CPU).

    .venv/bin/python bench/page_trace.py / policy -n 2000 --wsgi --alternate --code /tmp/old &
    .venv/bin/python bench/page_trace.py / policy -n 2000 --wsgi --alternate
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="pages to request (the policy page: policy)")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--callers", nargs="*", default=[], help="with --profile: who calls the functions matching these")
    parser.add_argument("--wsgi", action="store_true", help="call the WSGI app directly (no test client)")
    parser.add_argument("--alternate", nargs="?", const=str(Path(tempfile.gettempdir()) / "page_trace.lock"),
                        help="take turns with other runs holding this lock file, in blocks of 100 requests")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "portal_bench"))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))
    os.environ.update({"DATABASE_URL": args.url, "PORTAL_DATA_DIR": args.data_dir, "PORTAL_PAYMENTS": "off",
                       "PORTAL_RATELIMIT_STORAGE": "memory://", "PORTAL_SECRET_KEY": "bench-" + "x" * 40})
    from sqlalchemy import event

    from portal.app import create_app

    app = create_app()
    engine = app.extensions["portal.platform"].session_factory.kw["bind"]
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "identifier": "demo@example.com",
                                         "password": "demo-password-1", "next": ""})
    assert answer.status_code == 302, answer.status_code
    sheet = client.get("/").get_data(as_text=True)
    policy = "/policies/" + re.findall(r'href="/policies/([A-Z0-9]+)"', sheet)[0]
    request = _wsgi_caller(app, client) if args.wsgi else client.get
    print(f"code: {args.code}")
    for path in args.paths:
        path = policy if path == "policy" else path.replace("{policy}", policy)
        for _ in range(50):
            assert client.get(path).status_code == 200, path
        if args.alternate:
            _alternate(request, path, args)
            continue
        sent.clear()
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(args.n):
            request(path)
        if profiler:
            profiler.disable()
        cpu = time.process_time() - cpu
        print(f"{path}: {1000 * cpu / args.n:.3f} ms CPU per request (in-process, this process only), "
              f"{len(sent) / args.n:.1f} statements per request")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(*args.only, 35)
            for pattern in args.callers:
                stats.print_callers(pattern)
    return 0


def _wsgi_caller(app, client):
    """GET a path by calling the app as gunicorn would, with the signed-in cookie."""
    from werkzeug.test import EnvironBuilder

    cookie = client.get_cookie("portal_session").value
    environs = {}

    def get(path):
        environ = environs.get(path)
        if environ is None:
            environ = environs[path] = EnvironBuilder(path=path, headers={
                "Cookie": f"portal_session={cookie}", "Host": "127.0.0.1", "Accept": "*/*"}).get_environ()
        statuses = []
        body = app(dict(environ), lambda status, headers, exc_info=None: statuses.append(status))
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        assert statuses[0].startswith("200"), (path, statuses)

    return get


def _alternate(request, path: str, args) -> None:
    import fcntl
    import statistics

    blocks = []
    with open(args.alternate, "a") as lock:
        for _ in range(max(1, args.n // 100)):
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                cpu = time.process_time()
                for _ in range(100):
                    request(path)
                blocks.append((time.process_time() - cpu) / 100)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
            time.sleep(0.002)  # let the other run take its turn
    blocks.sort()
    print(f"{path}: {1000 * statistics.median(blocks):.3f} ms CPU per request, median of {len(blocks)} blocks "
          f"(lower quartile {1000 * blocks[len(blocks) // 4]:.3f} ms)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
