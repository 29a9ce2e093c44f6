"""WSGI entry point for gunicorn: ``gunicorn portal.wsgi:app``. Imported in each worker
process (no preload), so the background work it starts runs where the requests are served."""
from portal.app import create_app
from portal.config import Settings
from portal.payments_wiring import start_in_web_process
from portal.wiring import build_platform

settings = Settings.from_env()
platform = build_platform(settings)
app = create_app(settings, platform=platform)
start_in_web_process(platform)
