"""The benchmark's clients. Each has its own policies and, for the given time, alternates an
address change (applied at once) and a dividend withdrawal (started, then confirmed with the
code unsealed from its outbox row). Clients are threads of worker processes, each process with
its own platform as the server wires it."""
from __future__ import annotations

import json
import time
import uuid
from itertools import cycle

from paas.messaging.models import OutboxMessage
from paas.messaging.outbox import SECRETS_CONTEXT
from paas.security.principal import Principal
from paas.servicing import engine


def _principal(work) -> Principal:
    return Principal(work.account_id, "bench", "zh", customer_id=work.customer_id)


def change_address(platform, work, key: str, n: int) -> None:
    with platform.unit_of_work() as uow:
        request = engine.start(uow, _principal(work), work.policy_number, "contact_address",
                               {"province": "北京市", "city": "北京市", "district": "朝阳区",
                                "street": f"建国路{n % 997 + 1}号{n}室", "postcode": "100022"}, channel="web", idempotency_key=key)
        assert request.status == "applied", request.status
        uow.commit()


def withdraw_dividends(platform, work, key: str) -> None:
    who = _principal(work)
    with platform.unit_of_work() as uow:
        request = engine.start(uow, who, work.policy_number, "dividend_withdrawal", {"amount": "1.00", "bank_account": "1"},
                               channel="web", idempotency_key=key)
        # The SMS is queued in this transaction, its code sealed apart from the text: the
        # benchmark, like a test, unseals it (staff pages never can).
        message = next(o for o in (*uow.session.new, *uow.session.identity_map.values()) if isinstance(o, OutboxMessage))
        code = json.loads(uow.keyring.decrypt(message.sealed_secrets, context=SECRETS_CONTEXT))["code"]
        reference = request.reference
        uow.commit()
    with platform.unit_of_work() as uow:
        confirmed = engine.confirm(uow, who, reference, code)
        assert confirmed.request.status == "applied", confirmed.result
        uow.commit()


def run_worker(index: int, url: str, data_dir: str, client_works: list[list], start_at: float, duration: float,
               results) -> None:
    """One worker process (as a gunicorn worker would be) serving its clients, each in a thread
    of its own with its own policies; one platform and connection pool for the process."""
    import threading
    from pathlib import Path

    from portal.config import Settings
    from bench.support.round_trips import RoundTrips
    from portal.wiring import build_engine, build_platform

    settings = Settings.from_env({"DATABASE_URL": url, "PORTAL_DATA_DIR": str(Path(data_dir)),
                                  "PORTAL_DB_POOL_SIZE": str(max(2, len(client_works))), "PORTAL_PAYMENTS": "off"})
    engine = build_engine(settings)
    platform = build_platform(settings, engine=engine)
    run = uuid.uuid4().hex[:8]
    reports = [None] * len(client_works)
    for n, works in enumerate(client_works):  # connections and caches warm before the clock
        change_address(platform, works[0], f"bench-{run}-{index}-{n}-warm", 0)
    threads = [threading.Thread(target=_client, args=(platform, works, f"{run}-{index}-{n}", start_at, duration, reports, n))
               for n, works in enumerate(client_works)]
    while time.time() < start_at:
        time.sleep(0.001)
    trips = RoundTrips(engine)  # counted from the start: the warm-up above is not
    cpu_at_start = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu_at_start  # the last operations may run past the end: a small overcount
    counts = {k: sum(r["counts"][k] for r in reports) for k in ("address", "withdrawal", "errors")}
    latencies = {k: [x for r in reports for x in r["latencies"][k]] for k in ("address", "withdrawal")}
    results.put({"index": index, "counts": counts, "latencies": latencies, "cpu_seconds": cpu,
                 "round_trips": dict(trips.counts),
                 "idle_clients": sum(1 for r in reports if not r["counts"]["address"])})


def _client(platform, works: list, name: str, start_at: float, duration: float, reports: list, slot: int) -> None:
    counts = {"address": 0, "withdrawal": 0, "errors": 0}
    latencies = {"address": [], "withdrawal": []}
    works_cycle, n = cycle(works), 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + duration
    while time.time() < end:
        work, n = next(works_cycle), n + 1
        kind = "address" if n % 2 else "withdrawal"
        began = time.perf_counter()
        try:
            if kind == "address":
                change_address(platform, work, f"bench-{name}-{n}", n)
            else:
                withdraw_dividends(platform, work, f"bench-{name}-{n}")
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            counts["errors"] += 1
            if counts["errors"] <= 3:
                print(f"client {name}: {type(exc).__name__}: {exc}", flush=True)
            continue
        if time.time() <= end:
            counts[kind] += 1
            latencies[kind].append(time.perf_counter() - began)
    reports[slot] = {"counts": counts, "latencies": latencies}
