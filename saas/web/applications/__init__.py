"""Applying for new cover online: choose a product, fill in (and save) the application with a
live quote, submit it, then follow it: the outcome and its reason, an offer to accept, evidence
to supply, the first premium to pay."""
from saas.web import blueprint
from saas.web.applications import apply_views, follow_views  # noqa: F401  (routes register themselves)


def install(app) -> None:
    from paas.products import catalogue
    from paas.underwriting.states import DECISION_LABELS, STATUS_LABELS

    from datetime import datetime
    from decimal import Decimal

    from saas.i18n import day, money

    def slot_text(slot: str) -> str:
        """An examination appointment (local business time) as the reader writes it."""
        when = datetime.fromisoformat(slot)
        return f"{day(when.date())} {when:%H:%M}"

    def money_text(amount: str | None) -> str:
        """An amount kept as text in an application's details, written as money."""
        return money(Decimal(amount or "0"))

    app.jinja_env.globals.update(slot_text=slot_text, money_text=money_text,
        application_status_labels=STATUS_LABELS, decision_labels=DECISION_LABELS,
        catalogue_name=lambda code, version, lang: catalogue.product(code, version).name(lang))


blueprint.record_once(lambda state: install(state.app))
