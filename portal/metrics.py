"""``/metrics`` for Prometheus, and the per-request counting behind it.

Requests are counted by route (the URL rule, e.g. ``/policies/<number>``, never the raw path:
a policy number in a label would grow the series without bound) and status, timed in a
histogram. Queue depth and cycle progress are read from their source at scrape time. Under
gunicorn the values of every worker process are added up (``PROMETHEUS_MULTIPROC_DIR``)."""
from __future__ import annotations

import logging
import os
import time
from datetime import date

from flask import Flask, Response, abort, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select

from iaas.metrics import JOBS, LATENCY, REQUESTS
from paas.cycle.models import CycleRun
from paas.platform import Platform

log = logging.getLogger(__name__)
_SERIES_KEPT = 1024
# A client chooses the method it sends (gunicorn takes any token): others are counted as one, or
# made-up methods would each add series that prometheus_client keeps for ever.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def count_job_outcome(job: str, outcome: str) -> None:
    JOBS.labels(job, outcome).inc()


class _FromTheSource(Collector):
    """Gauges read when scraped: the job queue's depth and the latest night's progress."""

    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def collect(self):
        depth = GaugeMetricFamily("portal_job_queue_depth", "Jobs waiting or running, and dead-lettered", labels=["state"])
        if self._platform.jobs is not None:
            try:
                for state, count in self._platform.jobs.depth().items():
                    depth.add_metric([state], count)
            except Exception:  # a scrape must answer even when the queue does not
                log.warning("metrics: the job queue's depth is unknown", exc_info=True)
        yield depth
        processed = GaugeMetricFamily("portal_cycle_policies_processed",
                                      "Policies processed by each step of the latest cycle, by partition",
                                      labels=["run_date", "step", "partition", "status"])
        for run_date, step, partition, status, count in self._latest_cycle():
            processed.add_metric([run_date.isoformat(), step, partition, status], count)
        yield processed

    def _latest_cycle(self) -> list[tuple[date, str, str, str, int]]:
        with self._platform.unit_of_work(read_only=True) as uow:
            latest = uow.session.scalar(select(func.max(CycleRun.run_date)))
            if latest is None:
                return []
            return [tuple(row) for row in uow.session.execute(
                select(CycleRun.run_date, CycleRun.step, CycleRun.partition, CycleRun.status, CycleRun.processed)
                .where(CycleRun.run_date == latest))]


def init_app(app: Flask, platform: Platform, *, production: bool = False) -> None:
    """In production ``/metrics`` answers only scrapes from inside (the load balancer adds
    X-Forwarded-For to everything it passes on; Prometheus in the VPC scrapes the task itself)."""
    source = _FromTheSource(platform)

    @app.before_request
    def _start_clock():
        g.metrics_started = time.perf_counter()

    # Each (method, route, status)'s two series, looked up once: ``labels`` takes a lock and
    # builds its key at every call. Methods are a fixed few and routes the app's own.
    series: dict[tuple[str, str, int], tuple] = {}

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        if started is not None and request.endpoint != "metrics":
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            method = request.method if request.method in _METHODS else "other"
            key = (method, route, response.status_code)
            found = series.get(key)
            if found is None:
                found = (REQUESTS.labels(key[0], route, str(key[2])), LATENCY.labels(key[0], route))
                if len(series) < _SERIES_KEPT:
                    series[key] = found
            found[0].inc()
            found[1].observe(time.perf_counter() - started)
        return response

    @app.get("/metrics", endpoint="metrics")
    def metrics():
        if production and request.headers.get("X-Forwarded-For"):
            abort(404)
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            multiprocess.MultiProcessCollector(registry)
            body = generate_latest(registry)
        else:
            body = generate_latest(REGISTRY)
        extra = CollectorRegistry()
        extra.register(source)
        return Response(body + generate_latest(extra), mimetype=CONTENT_TYPE_LATEST)
