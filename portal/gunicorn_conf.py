"""gunicorn settings from the environment. The embedded default (SQLite) runs one worker
process with threads, since SQLite has a single writer; PostgreSQL deployments raise
PORTAL_WORKERS to the number of cores or more."""
import os
import tempfile

from portal.config import bind_address

# Each worker process counts its requests in files here, added up by /metrics (portal.metrics);
# a fresh folder per start, so the counts of processes from before do not linger.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="portal-metrics-"))

bind = bind_address(os.environ)
workers = int(os.environ.get("PORTAL_WORKERS", "1"))
threads = int(os.environ.get("PORTAL_THREADS", "4"))
worker_class = os.environ.get("PORTAL_WORKER_CLASS", "gthread")
keepalive = int(os.environ.get("PORTAL_KEEPALIVE", "5"))
timeout = 30
graceful_timeout = 10
accesslog = os.environ.get("PORTAL_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info")  # make run: warning, so the demo logins stay the last lines
# gunicorn 24+ opens a control socket at a fixed path in $HOME; two portals on one machine
# (tests, benchmarks, make run) would fight over it, and nothing here uses it.
control_socket_disable = True


def child_exit(_server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # its gauges go; its counters stay counted


def post_fork(_server, worker):
    # Before the worker imports the app (no preload): each thread holds a database connection
    # while it serves a request, and may hold a second (a read-only one beside its unit of
    # work). A pool smaller than that opens and closes its overflow's connections under load -
    # each a new PostgreSQL backend, its caches cold and its statements unprepared.
    os.environ.setdefault("PORTAL_DB_POOL_SIZE", str(worker.cfg.threads + 1))
