"""Where servicing's HTTP path spends its CPU: bench/servicing_http.py's mix (the address form
page, its POST, the withdrawal's API POST and its /confirm) sent serially by one client to the
app built as portal/wsgi.py builds it, called as gunicorn calls it (a WSGI environ, no test
client), next to the same mix straight through the engine (bench/servicing_trace.py's calls),
in alternating blocks so the machine's load hits both alike. Run bench/servicing.py once first.

    .venv/bin/python bench/servicing_http_trace.py --database http_bench --data-dir /tmp/http-data
    .venv/bin/python bench/servicing_http_trace.py ... --profile --sort cumulative   # the HTTP side's profile

CPU is this process's only (the app's Python); PostgreSQL's backends are not counted. The SMS
code is unsealed from its outbox row outside the clock (bench/servicing_http.py waits for the
job worker to deliver it)."""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --code DIR: another checkout's app (e.g. main's, to compare on the same data); read before
# anything of the portal is imported.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.servicing_http import _TOKEN, PASSWORD, _email, change_address, prepare_accounts  # noqa: E402
from bench.support.data import database_url  # noqa: E402


class WsgiClient:
    """One browser calling the app as gunicorn would; CPU counted inside the app only."""

    def __init__(self, app) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}
        self.cpu = 0.0
        self.profiler: cProfile.Profile | None = None
        self.counted = True
        self.by_step: dict[str, float] = {}
        self.statements: list[str] = []  # sent to the database (the engine's before_cursor_execute)
        self.by_step_statements: dict[str, int] = {}

    def send(self, method: str, path: str, body: bytes = b"", content_type: str | None = None,
             headers: dict | None = None):
        from werkzeug.test import EnvironBuilder

        headers = {"Host": "127.0.0.1:8240", "Accept": "*/*", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        environ = EnvironBuilder(path=path, method=method, data=body, content_type=content_type,
                                 headers=headers).get_environ()
        environ["SERVER_SOFTWARE"] = "gunicorn"
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer.update(status=int(status.split()[0]), headers=response_headers)

        sent_before = len(self.statements)
        cpu = time.process_time()
        if self.profiler and self.counted:
            self.profiler.enable()
        result = self.app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        if self.profiler and self.counted:
            self.profiler.disable()
        if self.counted:
            cpu = time.process_time() - cpu
            self.cpu += cpu
            step = f"{method} {'/'.join('*' if any(c.isdigit() for c in part) else part for part in path.split('/'))}"
            self.by_step[step] = self.by_step.get(step, 0.0) + cpu
            self.by_step_statements[step] = self.by_step_statements.get(step, 0) + len(self.statements) - sent_before
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                jar = SimpleCookie()
                jar.load(value)
                self.cookies.update({k: m.value for k, m in jar.items()})
        return answer["status"], dict(answer["headers"]), data.decode("utf-8", "replace")

    def form(self, path: str, fields: dict):
        return self.send("POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")


def _code(platform, customer_id: int) -> str:
    from sqlalchemy import select

    from paas.messaging.models import OutboxMessage
    from paas.messaging.outbox import SECRETS_CONTEXT

    with platform.unit_of_work() as uow:
        message = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.customer_id == customer_id, OutboxMessage.kind == "servicing_code")
            .order_by(OutboxMessage.id.desc()).limit(1)).one()
        return json.loads(uow.keyring.decrypt(message.sealed_secrets, context=SECRETS_CONTEXT))["code"]


def http_pair(client: WsgiClient, platform, work, token: str, n: int) -> None:
    change_address(client, work, n)  # the HTTP bench's own form round, on the in-process client
    body = json.dumps({"amount": "1.00", "bank_account": "1"}).encode()
    status, _headers, text = client.send(
        "POST", f"/api/v1/policies/{work.policy_number}/services/dividend_withdrawal", body, "application/json",
        {"Idempotency-Key": uuid.uuid4().hex, "X-CSRFToken": token})
    assert status == 201, (status, text[:300])
    reference = json.loads(text)["reference"]
    client.counted = False
    code = _code(platform, work.customer_id)
    client.counted = True
    status, _headers, text = client.send("POST", f"/api/v1/requests/{reference}/confirm",
                                         json.dumps({"code": code}).encode(), "application/json",
                                         {"X-CSRFToken": token})
    assert status == 200 and json.loads(text)["status"] == "applied", (status, text[:300])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="pairs (an address change and a withdrawal) each side")
    parser.add_argument("--block", type=int, default=25)
    parser.add_argument("--profile", action="store_true", help="profile the HTTP side")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--callers", nargs="*", default=[], help="with --profile: who calls the functions matching these")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--statements", action="store_true", help="list the statements of one pair")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose app is traced")
    parser.add_argument("--alternate", nargs="?", const=str(Path(tempfile.gettempdir()) / "servicing_http_trace.lock"),
                        help="take turns, block by block, with other runs holding this lock file (two codes side by side)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="portal_bench_servicing")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench_servicing")
    args = parser.parse_args(argv)
    import contextlib
    import fcntl

    lock = open(args.alternate, "a") if args.alternate else None

    @contextlib.contextmanager
    def turn():
        if lock is None:
            yield
            return
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            time.sleep(0.05)  # the other run takes its turn

    url = database_url(args.server, args.database)
    # As bench/servicing_http.py starts gunicorn (bench.support.servers.server_environment).
    os.environ.update({"DATABASE_URL": url, "PORTAL_DATA_DIR": str(args.data_dir), "PORTAL_PAYMENTS": "off",
                       "PORTAL_RATELIMIT_STORAGE": "memory://", "PORTAL_ENV": "development",
                       "PORTAL_WEB_JOB_THREADS": "0",
                       "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="trace-metrics-")})
    from bench.support.servicing_clients import change_address, withdraw_dividends
    from bench.support.servicing_data import prepare_work, tidy
    from portal.app import create_app
    from portal.config import Settings
    from portal.wiring import build_platform

    settings = Settings.from_env()
    platform = build_platform(settings)
    app = create_app(settings, platform=platform)
    works = prepare_work(platform, 1, 40)[0]
    tidy(settings.database_url)  # as a live database would be (bench.support.servicing_data.tidy)
    preparing = turn()  # another run's withdrawal is not cancelled under it, nor its policy locked
    preparing.__enter__()
    prepare_accounts(platform, [works])
    client = WsgiClient(app)
    from sqlalchemy import event

    event.listen(platform.session_factory.kw["bind"], "before_cursor_execute",
                 lambda _c, _cursor, statement, *_a: client.statements.append(statement))
    _status, _headers, page = client.send("GET", "/login")
    status, _headers, page = client.form("/login", {"csrf_token": _TOKEN.search(page)[1],
                                                    "identifier": _email(works[0]), "password": PASSWORD, "next": ""})
    assert status == 302, (status, page[:300])
    token = _TOKEN.search(client.send("GET", f"/policies/{works[0].policy_number}/services/contact_address")[2])[1]
    run = uuid.uuid4().hex[:8]
    work = works[0]  # the signed-in owner's; the engine side uses the same policy

    def http_block(start: int) -> None:
        for n in range(start, start + args.block):
            http_pair(client, platform, work, token, n)

    def engine_block(start: int) -> None:
        for n in range(start, start + args.block):
            change_address(platform, work, f"trace-{run}-a{n}", n)
            withdraw_dividends(platform, work, f"trace-{run}-d{n}")

    http_block(0)
    engine_block(0)  # warm
    preparing.__exit__(None, None, None)
    if args.statements:
        client.statements.clear()
        http_pair(client, platform, work, token, 10_000)
        for statement in client.statements:
            print("   ", " ".join(statement.split())[:200])
    client.by_step.clear()
    client.by_step_statements.clear()
    engine_sent = 0
    if args.profile:
        client.profiler = cProfile.Profile(time.process_time)
    http_blocks, engine_blocks = [], []
    for b in range(1, max(1, args.n // args.block) + 1):
        with turn():
            client.cpu = 0.0
            http_block(b * args.block)
            http_blocks.append(client.cpu / args.block)
            sent = len(client.statements)
            cpu = time.process_time()
            engine_block(b * args.block)
            engine_sent += len(client.statements) - sent
            engine_blocks.append((time.process_time() - cpu) / args.block)
    h, e = statistics.median(http_blocks), statistics.median(engine_blocks)
    print(f"code: {CODE}")
    print(f"per pair (an address change + a withdrawal), median of {len(http_blocks)} blocks of {args.block}: "
          f"HTTP {1000 * h:.2f} ms CPU, engine alone {1000 * e:.2f} ms; the HTTP path's own {1000 * (h - e):.2f} ms "
          f"({1000 * (h - e) / 2:.2f} ms per applied request)")
    pairs = len(http_blocks) * args.block
    for step, cpu in client.by_step.items():
        print(f"  {step}: {1000 * cpu / pairs:.2f} ms CPU, {client.by_step_statements[step] / pairs:.1f} statements "
              "per request (mean)")
    print(f"  the engine alone: {engine_sent / pairs:.1f} statements per pair")
    client.by_step.clear()  # the steps' figures are printed
    profiler, client.profiler = client.profiler, None  # the mix's alone
    for _ in range(pairs):
        assert client.send("GET", "/session/check")[0] == 200
    print(f"  the signed-in empty route (GET /session/check), the floor of any signed-in request: "
          f"{1000 * client.by_step['GET /session/check'] / pairs:.2f} ms CPU")
    with platform.unit_of_work() as uow:  # nobody delivers them here; the next bench run would wait for them
        from sqlalchemy import text
        uow.session.execute(text("DELETE FROM jobs WHERE status = 'ready'"))
        uow.commit()
    if profiler:
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(*args.only, args.lines)
        for pattern in args.callers:
            stats.print_callers(pattern)
    return 0


if __name__ == "__main__":
    sys.exit(main())
