"""gunicorn settings from the environment. The embedded default (SQLite) runs one worker
process with threads, since SQLite has a single writer; PostgreSQL deployments raise
PORTAL_WORKERS to the number of cores or more."""
import os

from portal.config import bind_address

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
