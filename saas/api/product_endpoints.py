"""Products on sale and quotes, for anyone (no sign-in): the same services as the web pages."""
from __future__ import annotations

from flask import jsonify, request

from paas.errors import InvalidInput
from paas.money import CURRENCY
from paas.presale import choices
from paas.presale.quoting import quote_from_fields, scheduled_benefits
from paas.products import catalogue
from paas.products.quotes import Quote
from paas.products.spec import ProductSpec
from saas.api import blueprint, product_schemas
from saas.i18n import current_locale, error_text, gettext
from saas.transaction import platform, read_only


def _said(items) -> list[dict]:
    return [{"value": c.value, "label": gettext(c.label, **c.params)} for c in items]


def _product(spec: ProductSpec) -> dict:
    locale = current_locale()
    return {
        **spec.__dict__,
        "name": spec.name(locale),
        "description": spec.description(locale),
        "category_label": gettext(choices.CATEGORY_LABELS[spec.category]),
        "issue_ages": {"min": spec.issue_ages[0], "max": spec.issue_ages[1]},
        "terms": _said(choices.term_choices(spec)),
        "premium_terms": _said(choices.premium_term_choices(spec)),
        "modes": _said(choices.mode_choices(spec)),
        "sum_assured": {"min": spec.sum_assured[0], "max": spec.sum_assured[1]},
    }


def _product_detail(spec: ProductSpec) -> dict:
    survival = spec.survival_benefits
    return {
        **_product(spec),
        "dividend_options": [
            {"value": o.value, "label": gettext(o.label), "explanation": gettext(o.explanation, **o.params)}
            for o in choices.dividend_options(spec)
        ],
        "survival_benefits": survival and {
            **survival.__dict__,
            "description": " ".join(gettext(c.label, **c.params) for c in choices.survival_benefit_terms(spec)),
        },
        "funds": [
            {**fund.__dict__, "name": fund.name(current_locale()), "risk_label": gettext(choices.FUND_RISK_LABELS[fund.risk])}
            for fund in (spec.unit_linked.funds if spec.unit_linked else ())
        ],
    }


def _quote(quoted: Quote) -> dict:
    cover, premium = quoted.cover, quoted.premium
    return {
        "product": {"code": quoted.spec.code, "version": quoted.spec.version, "name": quoted.spec.name(current_locale())},
        "currency": CURRENCY,
        **{name: getattr(cover, name) for name in ("sex", "age", "sum_assured", "term", "premium_years", "mode")},
        "premium": {"per_payment": premium.modal, "payments_per_year": premium.payments_per_year,
                    "per_year": premium.per_year, "annual_mode": premium.gross_annual},
        "total_premiums": quoted.total_premiums,
        "illustration": [line.__dict__ for line in quoted.illustration],
        "survival_benefits": [benefit.__dict__ for benefit in scheduled_benefits(quoted)],
    }


@blueprint.get("/products")
@read_only
def products():
    body = {"currency": CURRENCY, "products": [_product(spec) for spec in catalogue.on_sale()]}
    return jsonify(product_schemas.ProductList().dump(body))


@blueprint.get("/products/<string(maxlength=32):code>")
@read_only
def product(code: str):
    return jsonify(product_schemas.ProductDetail().dump(_product_detail(choices.product_on_sale(code))))


@blueprint.post("/quotes")
@read_only
def create_quote():
    try:
        quoted = quote_from_fields(request.get_json(silent=True), platform().clock.today())
    except InvalidInput as error:
        body = {"error": {"code": error.code, "message": error_text(error), "field": error.field}}
        return jsonify(product_schemas.QuoteError().dump(body)), 422
    return jsonify(product_schemas.Quote().dump(_quote(quoted)))


@blueprint.record_once
def _no_csrf_for_quotes(state) -> None:
    # A quote changes nothing and needs no session: a forged cross-site request could only
    # make someone's browser compute a premium. API clients without a cookie can quote too.
    state.app.extensions["csrf"].exempt(create_quote)
