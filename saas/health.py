"""``/healthz`` (the process answers: a container is restarted when it does not) and ``/readyz``
(it can serve: the load balancer routes to it). No session, no page, nothing personal."""
from __future__ import annotations

from flask import Blueprint, jsonify

from paas.readiness import not_ready
from saas.transaction import read_only, uow

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
@read_only
def readyz():
    missing = not_ready(uow())
    return jsonify({"status": "not ready" if missing else "ready", "failing": missing}), 503 if missing else 200
