"""Prometheus metrics (prometheus-client), counted where things happen and exposed by the web
process at ``/metrics`` (``portal.metrics``).

Under gunicorn each worker process counts for itself: with ``PROMETHEUS_MULTIPROC_DIR`` set
(``portal.gunicorn_conf`` sets it) the client keeps its values in files there, and a scrape of
any worker adds up all of them. Values that are facts of the database (queue depth, the
cycle's progress) are read at scrape time instead, so every process reports the same."""
from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter("portal_http_requests_total", "HTTP requests answered, by route and status",
                   ["method", "route", "status"])
LATENCY = Histogram("portal_http_request_seconds", "Time to answer an HTTP request, by route", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
DELIVERIES = Counter("portal_deliveries_total", "Mail and SMS handed to a gateway, by channel and outcome",
                     ["channel", "outcome"])  # outcome: sent / failed (retried) / given_up
JOBS = Counter("portal_jobs_total", "Jobs settled by workers, by job and outcome", ["job", "outcome"])
