"""The HTTPS endpoint SNS delivers to (``paas.messaging.inbound.read_sns`` verifies it: the
signature, the certificate's host, our topic). Answers: 200 once verified (also for a message
that is not an SMS: retrying it would not help), 400 for anything not from SNS for us, 503
when the subscription could not be confirmed or the database is not there (SNS retries)."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, request

from paas.messaging.inbound import MAX_BYTES, SnsRejected, read_sns
from saas.sms.channel import answer
from saas.transaction import uow

log = logging.getLogger(__name__)
PATH = "/sms/sns"


def blueprint_for(verifier) -> Blueprint:
    """``verifier``: an ``SnsVerifier`` for our topics (built by ``portal.sms_wiring``)."""
    blueprint = Blueprint("sms_sns", __name__)

    @blueprint.post(PATH)
    def sns_message():
        try:
            sms = read_sns(verifier, request.get_data(cache=False)[:MAX_BYTES + 1])
        except SnsRejected as exc:
            log.warning("SNS message refused: %s", exc)
            return {"error": "not a verified SNS message for this topic"}, 400
        except OSError as exc:
            log.warning("SNS subscription not confirmed: %s", exc)
            return {"error": "confirmation failed"}, 503
        if sms is not None:
            answer(uow(), sms)  # in the request's own transaction: one per request, as everywhere
        return {"ok": True}, 200

    return blueprint


def install(app: Flask, verifier) -> None:
    """Serve the endpoint (signed by SNS instead of a CSRF token)."""
    blueprint = blueprint_for(verifier)
    app.register_blueprint(blueprint)
    app.extensions["csrf"].exempt(blueprint)
