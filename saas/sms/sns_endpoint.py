"""The HTTPS endpoint SNS delivers to: the envelope is verified (signature, certificate host,
our topic) before anything else; a subscription is confirmed; a notification carrying an
inbound SMS goes down the one path every SMS takes. Answers: 200 once verified (also for a
message that is not an SMS: retrying it would not help), 400 for anything not from SNS for
us, 503 when the database is not there (SNS retries)."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, Flask, request

from iaas.sms_inbound import from_end_user_messaging
from iaas.sms_inbound.sns import NOTIFICATION, SUBSCRIPTION_CONFIRMATION, SnsRejected, SnsVerifier
from saas.sms.channel import handle
from saas.transaction import platform

log = logging.getLogger(__name__)
PATH = "/sms/sns"
MAX_BYTES = 256 * 1024  # SNS's own limit on a message


def blueprint_for(verifier: SnsVerifier) -> Blueprint:
    blueprint = Blueprint("sms_sns", __name__)

    @blueprint.post(PATH)
    def sns_message():
        raw = request.get_data(cache=False)[:MAX_BYTES + 1]
        try:
            if len(raw) > MAX_BYTES:
                raise SnsRejected("too large")
            envelope = verifier.verify(json.loads(raw))
            if envelope["Type"] == SUBSCRIPTION_CONFIRMATION:
                verifier.confirm_subscription(envelope)
                log.info("SNS subscription to %s confirmed", envelope.get("TopicArn"))
        except (ValueError, SnsRejected) as exc:
            log.warning("SNS message refused: %s", exc)
            return {"error": "not a verified SNS message for this topic"}, 400
        except OSError as exc:  # the subscribe URL did not answer: SNS sends the confirmation again
            log.warning("SNS subscription not confirmed: %s", exc)
            return {"error": "confirmation failed"}, 503
        if envelope["Type"] == NOTIFICATION:
            sms = from_end_user_messaging(str(envelope.get("Message")), "sns")
            if sms is not None:
                handle(platform(), sms)
        return {"ok": True}, 200

    return blueprint


def install(app: Flask, verifier: SnsVerifier) -> None:
    """Serve the endpoint (signed by SNS instead of a CSRF token)."""
    blueprint = blueprint_for(verifier)
    app.register_blueprint(blueprint)
    app.extensions["csrf"].exempt(blueprint)
