"""Servicing data as the API shows it: labels, reasons and label-typed values translated
into the caller's language."""
from __future__ import annotations

from paas.servicing.history import STATUS_LABELS, RequestLine
from paas.servicing.offers import Offer
from saas.i18n import gettext
from saas.servicing.display import reason_text


def translated_lines(lines) -> list[dict]:
    def value(v, kind):
        return gettext(v) if kind == "label" and isinstance(v, str) else v

    return [{"label": gettext(line["label"]), "before": value(line["before"], line["kind"]),
             "after": value(line["after"], line["kind"]), "kind": line["kind"]} for line in lines]


def service_data(offer: Offer) -> dict:
    txn = offer.transaction
    return {
        "kind": txn.kind, "label": gettext(txn.label), "description": gettext(txn.description),
        "available": offer.available, "reason": reason_text(offer.reason, offer.reason_params) if offer.reason else None,
        "step_up": txn.step_up,
        "fields_": [{"name": f.name, "label": gettext(f.label), "kind": f.kind, "required": f.required,
                     "choices": [{"value": v, "label": gettext(label)} for v, label in f.choices],
                     "help": gettext(f.help) if f.help else None,
                     "now": gettext(offer.guide[f.name][0], **offer.guide[f.name][1]) if f.name in offer.guide else None,
                     "on_file": offer.on_file.get(f.name)} for f in txn.fields],
    }


def request_data(line: RequestLine) -> dict:
    return {**line.__dict__, "label": gettext(line.label), "status_label": gettext(STATUS_LABELS[line.status]),
            "preview": translated_lines(line.preview)}
