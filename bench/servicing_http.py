"""Servicing through HTTP: the same mix as bench/servicing.py (an address change, then a
dividend withdrawal confirmed with its SMS code), sent by 16 clients to the portal under
gunicorn - the address change through the real web form (the form page, then the POST with
its CSRF token and idempotency key), the withdrawal through the JSON API (POST with an
Idempotency-Key, then /confirm with the code the phone would get: read, as a phone would
receive it, from the embedded SMS gateway's sealed file, where ``portal worker`` - run beside
gunicorn, as deployed - delivers it; its own CPU is shown beside the server's). gunicorn runs as
deployed: gthread workers (one per core, their threads sharing the clients, as bench/servicing.py
runs them in-process) and no jobs in the web workers (``PORTAL_WEB_JOB_THREADS=0``, production's
default; the bench's development settings would otherwise deliver every SMS and notice inside the
web workers as well). Run bench/servicing.py once first (its database and customers); the
in-process figure to compare with is its own.

    .venv/bin/python bench/servicing_http.py                # 16 clients, 15 s
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.data import database_url  # noqa: E402
from bench.support.servers import JobWorker, Server, process_cpu_seconds, server_cpu_seconds, server_environment  # noqa: E402

PASSWORD = "bench-servicing-1"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key" value="([^"]*)"')
_CODE = re.compile(r"(?<![\w])(\d{6})(?![\w])")


class Client:
    """One browser: its own keep-alive connection and cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or ():
            jar = SimpleCookie()
            jar.load(value)
            self.cookies.update({k: m.value for k, m in jar.items()})
        return response.status, response.headers, text

    def form(self, path: str, fields: dict):
        return self.send("POST", path, urllib.parse.urlencode(fields).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"})


def sign_in(client: Client, email: str) -> None:
    _status, _headers, page = client.send("GET", "/login")
    status, _headers, page = client.form("/login", {"csrf_token": _TOKEN.search(page)[1], "identifier": email,
                                                    "password": PASSWORD, "next": ""})
    if status != 302:
        raise SystemExit(f"signing in as {email}: {status} {page[:300]}")


def change_address(client: Client, work, n: int) -> None:
    path = f"/policies/{work.policy_number}/services/contact_address"
    status, _headers, page = client.send("GET", path)
    assert status == 200, (status, page[:200])
    fields = {"csrf_token": _TOKEN.search(page)[1], "idempotency_key": _KEY.search(page)[1], "province": "北京市",
              "city": "北京市", "district": "朝阳区", "street": f"建国路{n % 997 + 1}号{n}室", "postcode": "100022"}
    status, headers, page = client.form(path, fields)
    assert status == 303 and "/requests/SR" in headers.get("Location", ""), (status, page[:300])


def withdraw(client: Client, work, platform, token: str) -> None:
    body = json.dumps({"amount": "1.00", "bank_account": "1"}).encode()
    status, _headers, text = client.send(
        "POST", f"/api/v1/policies/{work.policy_number}/services/dividend_withdrawal", body,
        {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex, "X-CSRFToken": token})
    assert status == 201, (status, text[:300])
    reference = json.loads(text)["reference"]
    code = _code_sent(platform, work.customer_id, reference)
    status, _headers, text = client.send("POST", f"/api/v1/requests/{reference}/confirm",
                                         json.dumps({"code": code}).encode(),
                                         {"Content-Type": "application/json", "X-CSRFToken": token})
    assert status == 200 and json.loads(text)["status"] == "applied", (status, text[:300])


def _code_sent(platform, customer_id: int, reference: str) -> str:
    """The code as the phone received it: the newest code SMS of the customer, its sealed file."""
    from sqlalchemy import text

    with platform.session_factory() as session:
        message_id = session.scalar(text("SELECT max(id) FROM outbox_messages WHERE customer_id = :c "
                                         "AND kind = 'servicing_code'"), {"c": customer_id})
    sent = platform.gateways["sms"]._folder / "sms" / f"msg-{message_id}.json"
    for _ in range(200):  # another request's delivery pass may have claimed it and be sending it
        if sent.exists():
            break
        time.sleep(0.01)
    data = json.loads(sent.read_text(encoding="utf-8"))
    body = platform.keyring.decrypt(data["sealed_body"], context="outbox.local_file")
    assert reference in body, "the newest code SMS is not this request's"
    return _CODE.search(body)[1]


def run_client(port, works, platform, ready, clock, results, errors) -> None:
    client = Client(port)
    sign_in(client, _email(works[0]))
    token = _TOKEN.search(client.send("GET", f"/policies/{works[0].policy_number}/services/contact_address")[2])[1]
    ready.wait()  # every client signed in (argon2 is not what is measured) before the clock starts
    end = clock["end"]
    n = 0
    while time.time() < end:
        work, n = works[n % len(works)], n + 1
        began = time.perf_counter()
        try:
            kind = "address" if n % 2 else "withdrawal"
            change_address(client, work, n) if kind == "address" else withdraw(client, work, platform, token)
        except (AssertionError, OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc)[:300])
            client = Client(port)
            client.cookies = {}
            sign_in(client, _email(works[0]))
            token = _TOKEN.search(client.send("GET", f"/policies/{works[0].policy_number}/services/contact_address")[2])[1]
            continue
        if time.time() <= end:
            results[kind].append(time.perf_counter() - began)


def _email(work) -> str:
    return f"bench-{work.customer_id}@example.com"


def drain_earlier_jobs(url: str, worker, timeout: float = 300) -> None:
    """Wait until the worker has run the jobs an earlier run left (bench/servicing.py leaves its
    thousands of code SMS and notices undelivered): else this run's code SMS queue behind them
    and every withdrawal times out waiting for its code. The messages still pending count too:
    prepare_accounts drops the earlier jobs, but the worker's sweep (at its start, then each
    minute) delivers what they would have, in one job the code SMS would wait behind (the
    first run after bench/servicing.py or bench/servicing_http_trace.py failed so)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as connection:
                left = connection.execute(text("SELECT (SELECT count(*) FROM jobs WHERE status = 'ready') + "
                                               "(SELECT count(*) FROM outbox_messages WHERE status = 'pending')")).scalar()
            if not left:
                return
            if time.monotonic() > deadline or worker.process.poll() is not None:
                raise SystemExit(f"{left} jobs and messages of earlier runs still waiting; see {worker.log_path}")
            print(f"  waiting for the job worker to run {left} jobs and messages left by earlier runs ...", flush=True)
            time.sleep(2)
    finally:
        engine.dispose()


def prepare_accounts(platform, works) -> None:
    """Each client signs in as the owner of its policy: the benchmark's accounts get a sign-in
    name and a password (one argon2 hash for all)."""
    from sqlalchemy import text

    from paas.security.passwords import Passwords

    from bench.support.servicing_clients import _principal
    from paas.servicing import engine

    hashed = Passwords(platform.security).hash(PASSWORD)
    with platform.unit_of_work() as uow:
        # bench/servicing.py runs no job worker: the deliveries its requests queued would put
        # this run's code SMS behind thousands of notices. Its messages stay in the outbox.
        uow.session.execute(text("DELETE FROM jobs WHERE status = 'ready'"))
        for work in (w for client in works for w in client):
            uow.session.execute(text("UPDATE accounts SET email = :e, password_hash = :h WHERE id = :a"),
                                {"e": _email(work), "h": hashed, "a": work.account_id})
            # A withdrawal an interrupted run left waiting for its code would block this one's.
            for (reference,) in uow.session.execute(text(
                    "SELECT reference FROM service_requests WHERE customer_id = :c AND status = 'awaiting_code'"),
                    {"c": work.customer_id}).all():
                engine.cancel(uow, _principal(work), reference)
        uow.commit()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=15)
    # Served as bench/servicing.py runs its clients (threads of one process per core) and as
    # portal/gunicorn_conf.py deploys: gthread workers, their threads sharing the clients.
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=0, help="threads a worker (default: clients / workers)")
    parser.add_argument("--web-job-threads", default="0",
                        help="PORTAL_WEB_JOB_THREADS of the web workers (default 0: the jobs are portal worker's, "
                             "as in production; 1 runs them in each web worker too, the embedded default)")
    parser.add_argument("--worker-threads", default="",
                        help="PORTAL_WORKER_THREADS of the job worker (default: the portal's own, 4 on PostgreSQL)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="portal_bench_servicing")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "portal_bench_servicing")
    args = parser.parse_args(argv)
    args.ratelimit = "memory://"
    args.threads = args.threads or max(1, -(-args.clients // args.workers))
    from bench.support.servicing_data import prepare_work, tidy
    from portal.config import Settings
    from portal.wiring import build_platform

    url = database_url(args.server, args.database)
    settings = Settings.from_env({"DATABASE_URL": url, "PORTAL_DATA_DIR": str(args.data_dir), "PORTAL_PAYMENTS": "off"})
    platform = build_platform(settings)
    # One owner per client (its policies are that owner's only): the client signs in once.
    works = [[w] for w in (client[0] for client in prepare_work(platform, args.clients, 1))]
    prepare_accounts(platform, works)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-servicing-http-"))
    env = {**server_environment(url, args.data_dir, args), "PORTAL_PAYMENTS": "off",
           "PORTAL_WEB_JOB_THREADS": args.web_job_threads, **({"PORTAL_WORKER_THREADS": args.worker_threads}
                                                               if args.worker_threads else {})}
    server = Server("portal", "portal.wsgi:app", env, args, log_dir)
    jobs = JobWorker(env, log_dir)
    try:
        server.wait_ready("/login")
        drain_earlier_jobs(url, jobs)
        tidy(url)  # as a live database would be (bench.support.servicing_data.tidy)
        results, errors = {"address": [], "withdrawal": []}, []
        clock = {}
        started = lambda: clock.update(end=time.time() + args.duration)  # noqa: E731 - as the barrier opens
        ready = threading.Barrier(len(works) + 1, action=started)
        threads = [threading.Thread(target=run_client, args=(server.port, w, platform, ready, clock, results, errors))
                   for w in works]
        for thread in threads:
            thread.start()
        ready.wait()
        cpu, jobs_cpu = server_cpu_seconds(server.process.pid, args.database), process_cpu_seconds(jobs.process.pid)
        clients_cpu, window_began = time.process_time(), time.time()
        time.sleep(args.duration)
        cpu = server_cpu_seconds(server.process.pid, args.database) - cpu
        jobs_cpu = process_cpu_seconds(jobs.process.pid) - jobs_cpu
        clients_cpu = time.process_time() - clients_cpu
        for thread in threads:
            thread.join()
    finally:
        server.stop()
        jobs.stop()
    applied = sum(len(v) for v in results.values())
    print(f"Servicing over HTTP, {args.clients} clients, gunicorn {args.worker_class} x{args.workers} "
          f"({args.threads} threads, web job threads {args.web_job_threads}, job worker threads "
          f"{args.worker_threads or 'default'}), "
          f"{args.duration} s: {applied / args.duration:,.1f} applied requests/s "
          f"(address changes {len(results['address'])}, withdrawals {len(results['withdrawal'])}, errors {len(errors)})")
    for kind, times in results.items():
        if times:
            times.sort()
            print(f"  {kind}: p50 {1000 * statistics.median(times):.1f} ms, p99 {1000 * times[int(len(times) * 0.99)]:.1f} ms")
    print(f"  server CPU (gunicorn workers + PostgreSQL backends) {1000 * cpu / max(1, applied):.1f} ms per applied request, "
          f"and the job worker's (delivering the code SMS and the notices) {1000 * jobs_cpu / max(1, applied):.1f} ms")
    print(f"  the clients' own CPU (this process: HTTP, pages parsed, the codes read) {1000 * clients_cpu / max(1, applied):.1f} ms; "
          f"{os.cpu_count()} cores give {1000 * (os.cpu_count() or 2) * args.duration / max(1, applied):.1f} ms of CPU per applied request at this rate")
    waits = code_waits(platform, window_began, window_began + args.duration)
    if waits:
        print(f"  a code SMS's wait from its request to its delivery: p50 {waits[len(waits) // 2]:.0f} ms, "
              f"p99 {waits[int(len(waits) * 0.99)]:.0f} ms ({len(waits)} codes)")
    for error in errors[:3]:
        print("  error:", error)
    return 0


def code_waits(platform, began: float, ended: float) -> list[float]:
    """Milliseconds from each code SMS's queueing to its delivery, for the codes of the window."""
    from sqlalchemy import text

    with platform.session_factory() as session:
        return list(session.scalars(text(
            "SELECT 1000 * extract(epoch FROM sent_at - created_at) FROM outbox_messages WHERE kind = 'servicing_code' "
            "AND sent_at IS NOT NULL AND created_at BETWEEN to_timestamp(:began) AND to_timestamp(:ended) ORDER BY 1"),
            {"began": began, "ended": ended}))


if __name__ == "__main__":
    sys.exit(main())
