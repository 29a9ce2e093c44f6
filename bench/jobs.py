"""Job queue benchmark: jobs per second through the database queue (PostgreSQL, and SQLite,
the embedded default) and through SQS (moto's server on loopback), with 1 and 2 worker
processes, next to a bare baseline measured in the same run (the same claim-and-delete as
plain SQL on one connection; for SQS, bare boto3 receive + delete).

    .venv/bin/python bench/jobs.py                 # 2,000 jobs per measurement
    .venv/bin/python bench/jobs.py --jobs 500      # a quick look

Each measurement enqueues ``--jobs`` no-op jobs, then starts the workers (each its own
process, as ``portal worker`` is) and times from their start until the queue is empty. What
is measured is the queue's own cost per job: claim, run a handler that does nothing, settle.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATABASE = "queue_bench_jobs"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2_000)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--skip-sqs", action="store_true")
    return parser.parse_args(argv)


def make_queue(spec: dict):
    if spec["kind"] == "sqs":
        from iaas.jobs.sqs import SqsJobQueue
        from tests.sqs_support import sqs_client

        return SqsJobQueue(sqs_client(spec["endpoint"]), spec["url"], spec["dead"])
    from iaas.database import create_database_engine
    from iaas.jobs import DatabaseJobQueue

    return DatabaseJobQueue(create_database_engine(spec["url"]))


def work(spec: dict, done) -> None:
    """One worker process: run no-op jobs until the queue stays empty."""
    from paas.jobs.registry import HANDLERS
    from paas.jobs.worker import Worker

    HANDLERS["bench.noop"] = lambda _platform, _payload: None
    worker = Worker(platform=None, queue=make_queue(spec))
    misses = 0
    while misses < 2:  # SQS can answer empty once while messages are in flight
        if worker.run_one(wait_seconds=0.2 if spec["kind"] == "sqs" else 0):
            done.value += 1
            misses = 0
        else:
            misses += 1


def measure(spec: dict, jobs: int, workers: int) -> float:
    queue = make_queue(spec)
    for number in range(jobs):
        queue.enqueue("bench.noop", {"n": number})
    done = multiprocessing.Value("i", 0)
    processes = [multiprocessing.Process(target=work, args=(spec, done)) for _ in range(workers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    assert done.value == jobs, f"{done.value} of {jobs} jobs were run"
    return jobs / seconds


def bare_sql(url: str, jobs: int) -> float:
    """The floor: the same claim (SKIP LOCKED) and delete, one job per transaction, in plain SQL."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO jobs (name, payload, status, attempts, run_after, created_at)"
                               " VALUES ('bench.noop', '{}', 'ready', 0, 0, 0)", [()] * jobs)
        connection.commit()
        started = time.perf_counter()
        while True:
            row = connection.execute("SELECT id FROM jobs WHERE status = 'ready' ORDER BY run_after, id LIMIT 1"
                                     " FOR UPDATE SKIP LOCKED").fetchone()
            if row is None:
                break
            connection.execute("DELETE FROM jobs WHERE id = %s", row)
            connection.commit()
        return jobs / (time.perf_counter() - started)


def bare_sqs(spec: dict, jobs: int) -> float:
    from tests.sqs_support import sqs_client

    sqs = sqs_client(spec["endpoint"])
    for start in range(0, jobs, 10):
        sqs.send_message_batch(QueueUrl=spec["url"], Entries=[
            {"Id": str(n), "MessageBody": "{}"} for n in range(start, min(jobs, start + 10))])
    started, taken = time.perf_counter(), 0
    while taken < jobs:
        for message in sqs.receive_message(QueueUrl=spec["url"], MaxNumberOfMessages=1).get("Messages", []):
            sqs.delete_message(QueueUrl=spec["url"], ReceiptHandle=message["ReceiptHandle"])
            taken += 1
    return jobs / (time.perf_counter() - started)


def postgres_spec(server: str) -> dict:
    import psycopg

    from iaas.database import create_database_engine
    from portal import migrate

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    url = f"{server}/{DATABASE}"
    engine = create_database_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return {"kind": "database", "url": url}


def sqlite_spec() -> dict:
    from iaas.database import create_database_engine
    from portal import migrate

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-jobs-')) / 'jobs.sqlite3'}"
    engine = create_database_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return {"kind": "database", "url": url}


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"Job queue benchmark, {date.today().isoformat()}, {os.cpu_count()} cores, {args.jobs:,} jobs a measurement.")
    rows = []
    pg = postgres_spec(args.server)
    rows.append(("PostgreSQL, bare SQL claim + delete (baseline)", bare_sql(pg["url"], args.jobs), None))
    base = rows[-1][1]
    for workers in (1, 2):
        rows.append((f"PostgreSQL queue, {workers} worker(s)", measure(pg, args.jobs, workers), base))
    sq = sqlite_spec()
    for workers in (1, 2):
        rows.append((f"SQLite queue (embedded default), {workers} worker(s)", measure(sq, args.jobs, workers), None))
    if not args.skip_sqs:
        os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
        from moto.server import ThreadedMotoServer

        from tests.sqs_support import create_queues

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        live, dead = create_queues(endpoint)
        sqs_base = bare_sqs({"endpoint": endpoint, "url": live}, args.jobs)
        rows.append(("SQS (moto), bare boto3 receive + delete (baseline)", sqs_base, None))
        for workers in (1, 2):
            live, dead = create_queues(endpoint)
            spec = {"kind": "sqs", "endpoint": endpoint, "url": live, "dead": dead}
            rows.append((f"SQS (moto) queue, {workers} worker(s)", measure(spec, args.jobs, workers), sqs_base))
        server.stop()
    print(f"\n  {'what':<55} {'jobs/s':>9}  {'of baseline':>11}")
    for name, rate, baseline in rows:
        share = f"{rate / baseline:10.0%}" if baseline else ""
        print(f"  {name:<55} {rate:9,.0f}  {share:>11}")
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
