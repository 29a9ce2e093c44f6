"""The job queue chosen by configuration, and the worker built from the same settings.

``PORTAL_QUEUE``: ``database`` (default: a table in the portal's database) or an SQS queue URL
(``https://sqs.<region>.amazonaws.com/<account>/<name>``), its dead-letter queue given by
``PORTAL_QUEUE_DEAD_LETTER`` (else read from the queue's redrive policy). boto3 finds the
region and credentials the usual way (``AWS_REGION``, the task role); ``AWS_ENDPOINT_URL_SQS``
points it elsewhere (tests: moto on loopback)."""
from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Mapping

from sqlalchemy import Engine

from iaas.jobs import DatabaseJobQueue, JobQueue
from iaas.jobs.sqs import SqsJobQueue
from paas.jobs.registry import PERIODIC, load_handlers
from paas.jobs.worker import Periodic, RetryPolicy, Worker
from paas.messaging.outbox import DELIVER_JOB
from paas.billing.refunds import SEND_REFUNDS_JOB
from paas.platform import Platform
from paas.servicing.release_jobs import RELEASE_HELD
from portal.config import ConfigurationError, Settings
from portal.sms_wiring import register_poll_job


def build_job_queue(settings: Settings, engine: Engine) -> JobQueue:
    where = settings.extra.get("PORTAL_QUEUE") or "database"
    if where == "database":
        return DatabaseJobQueue(engine)
    if where.startswith("https://") or where.startswith("http://"):
        return SqsJobQueue.from_urls(where, settings.extra.get("PORTAL_QUEUE_DEAD_LETTER") or _dead_letter_of(where))
    raise ConfigurationError(f"PORTAL_QUEUE must be database or an SQS queue URL, not {where!r}")


def _dead_letter_of(queue_url: str) -> str:
    import boto3

    sqs = boto3.client("sqs")
    policy = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])["Attributes"].get("RedrivePolicy")
    if not policy:
        raise ConfigurationError("the SQS job queue has no dead-letter queue: set PORTAL_QUEUE_DEAD_LETTER")
    name = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[1]
    return sqs.get_queue_url(QueueName=name)["QueueUrl"]


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or ""
    try:
        return float(raw) if raw else default
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}") from exc


# The intervals the README names for the tasks of this package (else PORTAL_EVERY_<NAME>).
NAMED_INTERVALS = {RELEASE_HELD: "PORTAL_RELEASE_HELD_SECONDS", DELIVER_JOB: "PORTAL_SWEEP_SECONDS",
                   SEND_REFUNDS_JOB: "PORTAL_SWEEP_SECONDS"}


def periodic_tasks(env: Mapping[str, str]) -> list[Periodic]:
    tasks = []
    for name, every in sorted(PERIODIC.items()):
        setting = NAMED_INTERVALS.get(name) or "PORTAL_EVERY_" + name.upper().replace(".", "_")
        tasks.append(Periodic(name, _number(env, setting, every)))
    return tasks


def worker_threads(settings: Settings) -> int:
    """``PORTAL_WORKER_THREADS``: 4, but 1 on SQLite (its one writer at a time would queue them)."""
    raw = settings.extra.get("PORTAL_WORKER_THREADS") or ("1" if settings.database_url.startswith("sqlite") else "4")
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"PORTAL_WORKER_THREADS must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def build_worker(settings: Settings, platform: Platform, *, periodic: bool = True, threads: int | None = None) -> Worker:
    """``PORTAL_JOB_ATTEMPTS`` (poison limit, 5), ``PORTAL_JOB_BACKOFF_SECONDS`` (first retry, 2),
    ``PORTAL_JOB_LEASE_SECONDS`` (300), ``PORTAL_WORKER_THREADS`` (jobs run side by side:
    ``worker_threads``); the periodic tasks of the registry and their intervals;
    ``PORTAL_JOB_MODULES``: more handler modules, comma-separated."""
    env = settings.extra
    for module in filter(None, (env.get("PORTAL_JOB_MODULES") or "").split(",")):
        importlib.import_module(module.strip())
    load_handlers()
    register_poll_job(settings)  # the SMS replies' inbound queue, when there is one
    if platform.jobs is None:
        raise ConfigurationError("the platform has no job queue")
    from portal.metrics import count_job_outcome

    return Worker(platform, platform.jobs,
                  retry=RetryPolicy(max_attempts=int(_number(env, "PORTAL_JOB_ATTEMPTS", 5)),
                                    base_delay=_number(env, "PORTAL_JOB_BACKOFF_SECONDS", 2)),
                  lease_seconds=int(_number(env, "PORTAL_JOB_LEASE_SECONDS", 300)),
                  periodic=periodic_tasks(env) if periodic else [], on_outcome=count_job_outcome,
                  threads=worker_threads(settings) if threads is None else threads)


def start_embedded_worker(settings: Settings, platform: Platform) -> Worker | None:
    """On the embedded default the web process runs jobs itself in a background thread (so
    ``make run`` needs nothing else); ``PORTAL_WEB_JOB_THREADS=0`` leaves them to ``portal
    worker`` (production runs workers of their own: the default there is 0)."""
    default = "1" if isinstance(platform.jobs, DatabaseJobQueue) and not settings.production else "0"
    if (settings.extra.get("PORTAL_WEB_JOB_THREADS") or default) == "0":
        return None
    worker = build_worker(settings, platform, periodic=False, threads=1)
    threading.Thread(target=worker.run, name="portal-jobs", daemon=True).start()
    return worker
