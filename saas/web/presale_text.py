"""What the pre-sale templates share: service messages with parameters (advisor steps,
product choices, recommendation reasons) as text in the visitor's language, with amounts
among the parameters shown as money; and the words for a product's choices."""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from paas.presale import choices
from saas.i18n import gettext, money
from saas.web import blueprint


@blueprint.app_template_global("explain")
def explain(message: str, params: Mapping[str, object] | None = None) -> str:
    shown = {name: money(value) if isinstance(value, Decimal) else value for name, value in (params or {}).items()}
    return gettext(message, **shown)


@blueprint.record_once
def _product_words(state) -> None:
    state.app.jinja_env.globals.update(
        product_category_labels=choices.CATEGORY_LABELS,
        fund_risk_labels=choices.FUND_RISK_LABELS,
        term_choices=choices.term_choices,
        premium_term_choices=choices.premium_term_choices,
        mode_choices=choices.mode_choices,
        survival_benefit_terms=choices.survival_benefit_terms,
        product_dividend_options=choices.dividend_options,
    )


@blueprint.app_template_filter("yuan")
def yuan(amount: Decimal) -> str:
    """Whole yuan, for limits and sums assured that never carry fen: ¥300,000."""
    return f"¥{amount:,.0f}"
