"""WSGI entry point for gunicorn: ``gunicorn portal.wsgi:app``. Imported in each worker
process (no preload), so the background work it starts runs where the requests are served."""
from portal import json_logs
from portal.app import create_app
from portal.config import Settings
from portal.jobs_wiring import start_embedded_worker
from portal.payments_wiring import start_in_web_process
from portal.wiring import build_platform

settings = Settings.from_env()
if (settings.extra.get("PORTAL_LOG_FORMAT") or ("text" if settings.env == "development" else "json")) == "json":
    json_logs.configure(settings.extra.get("PORTAL_LOG_LEVEL") or "info")
platform = build_platform(settings)
app = create_app(settings, platform=platform)
start_in_web_process(platform)
start_embedded_worker(settings, platform)
