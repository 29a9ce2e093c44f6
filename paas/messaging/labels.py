"""How staff read an outbox message's channel, kind and status: in words, never the codes
the outbox stores ("sms", "sent", "servicing_code")."""
from __future__ import annotations

from paas.errors import N_

CHANNEL_LABELS = {"email": N_("E-mail"), "sms": N_("SMS")}
STATUS_LABELS = {"pending": N_("Waiting to be sent"), "sent": N_("Sent"), "failed": N_("Not delivered"),
                 "stopped": N_("Not sent: the number opted out")}
KIND_LABELS = {
    "servicing_code": N_("Servicing confirmation code"),
    "login_locked": N_("Sign-in locked notice"),  # to a visitor; a policyholder's is the alert below
    "alert_login_locked": N_("Sign-in locked notice"),
    "sms_reply": N_("Reply to an SMS"),
}
OTHER_KIND = N_("Other message")  # a kind added later and not labelled yet still reads as words


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, OTHER_KIND)
