"""The application factory: one Flask app serving the policyholder web, the console and the API."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import saas
from iaas.messaging import LocalFolderGateway
from paas.platform import Platform
from portal import json_logs, metrics
from portal.config import Settings
from portal.wiring import build_platform
from saas import (auth, cookie_session, csrf as csrf_protection, errors, headers, i18n, page_bar, page_templates, page_urls,
                  request_input, transaction)
from saas.servicing import submission as servicing_forms

SAAS_DIR = Path(saas.__file__).parent


class PortalApp(Flask):
    """Flask, asking once per function whether it is a coroutine function: Flask asks
    ``inspect.iscoroutinefunction`` of the view and of each of the 12 hooks at every request,
    about 4% of a signed-in request's CPU. The answer never changes for a function."""

    _SYNC_KEPT = 1024  # hooks, views and error handlers are a few dozen; anything beyond is asked each time
    jinja_environment = page_templates.FlatGlobalsEnvironment

    def ensure_sync(self, func):
        kept = self.__dict__.setdefault("_sync_of", {})
        try:
            return kept[func]
        except KeyError:
            sync = super().ensure_sync(func)
            if len(kept) < self._SYNC_KEPT:
                kept[func] = sync
            return sync
        except TypeError:  # not hashable
            return super().ensure_sync(func)


def create_app(settings: Settings | None = None, *, platform: Platform | None = None, testing: bool = False) -> Flask:
    settings = settings or Settings.from_env()
    platform = platform or build_platform(settings)
    app = PortalApp(
        "portal",
        static_folder=str(SAAS_DIR / "static"),
        template_folder=str(SAAS_DIR / "templates"),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=testing,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=min(settings.max_request_bytes, 500_000),
        SESSION_COOKIE_NAME="portal_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        PERMANENT_SESSION_LIFETIME=settings.security.session_lifetime,
        # Idle expiry is enforced on the server-side session; re-signing the cookie on every
        # response would only cost time.
        SESSION_REFRESH_EACH_REQUEST=False,
        # The CSRF token lives as long as the session; the idle timeout already bounds it.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=settings.production,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        JSON_SORT_KEYS=False,
    )
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)

    cookie_session.init_app(app)
    json_logs.init_app(app)
    metrics.init_app(app, platform, production=settings.production)
    transaction.init_app(app, platform)
    auth.init_app(app)
    i18n.init_app(app)
    servicing_forms.init_app(app)
    request_input.init_app(app)
    csrf = csrf_protection.MethodFirstCSRFProtect(app)
    # A form may also send the customer on to the payment provider's hosted checkout.
    checkout_origins = ("https://checkout.stripe.com",) if settings.payments == "stripe" else ()
    headers.init_app(app, production=settings.production, form_targets=checkout_origins)
    errors.init_app(app)

    from saas.api import blueprint as api_blueprint
    from saas.health import blueprint as health_blueprint
    from saas.console import blueprint as console_blueprint
    from saas.web import blueprint as web_blueprint
    from saas.webhooks import blueprint as webhooks_blueprint

    app.register_blueprint(web_blueprint)
    app.register_blueprint(console_blueprint, url_prefix="/console")
    app.register_blueprint(api_blueprint, url_prefix="/api/v1")
    app.register_blueprint(webhooks_blueprint)
    app.register_blueprint(health_blueprint)
    csrf.exempt(webhooks_blueprint)  # signed by the provider instead
    _register_development_inbox(app, settings, platform)
    from portal.sms_wiring import install_sms

    install_sms(app, settings)  # payment links by SMS, the simulator, SNS when configured
    page_urls.init_app(app)  # last: it checks that no blueprint added URL defaults
    page_bar.init_app(app)
    page_templates.init_app(app)
    return app


def _register_development_inbox(app: Flask, settings: Settings, platform: Platform) -> None:
    """Only a development machine on the embedded gateway shows what it would have sent
    (codes included, to anyone): in test and production the route is never registered."""
    local = platform.gateways.get("sms")
    if settings.env != "development" or not isinstance(local, LocalFolderGateway):
        return
    from saas import dev_inbox

    app.register_blueprint(dev_inbox.blueprint_for(local.delivered))
