"""The quote calculator (保费试算), for anyone: pick a product, then the form offers that
product's own choices. A plain HTML form; the service checks everything and its message is
shown next to the field it names, with what was typed kept."""
from __future__ import annotations

from flask import abort, render_template, request

from paas.errors import DomainError, InvalidInput, NotFound
from paas.presale.choices import find_on_sale, product_on_sale
from paas.presale.quoting import FIELDS, MAX_TEXT, quote_from_fields, scheduled_benefits
from paas.products import catalogue
from paas.products.spec import ProductSpec
from saas.i18n import error_text
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import platform, read_only
from saas.web import blueprint
from saas.web.presale_forms import QuoteForm

FORM_FIELDS = frozenset(FIELDS) - {"product"}  # a product error is shown by the product chooser


@blueprint.get("/quote")
@read_only
def quote_form():
    # Links from the product pages and the advisor prefill the form through the query string.
    form = QuoteForm(data={name: request.args.get(name, "")[:MAX_TEXT] for name in FIELDS})
    if not form.product.data:
        return _page(form, None)
    try:
        spec = product_on_sale(form.product.data)
    except NotFound as error:
        return _page(form, None, error=error), 422
    return _page(form, spec)


@blueprint.post("/quote")
@read_only
def quote_result():
    form = QuoteForm()
    if not form.validate_on_submit():  # only the CSRF token can fail here
        abort(400)
    try:
        quoted = quote_from_fields({name: form[name].data for name in FIELDS}, platform().clock.today())
    except InvalidInput as error:
        return _page(form, find_on_sale(form.product.data), error=error), 422
    return _page(form, quoted.spec, quoted=quoted, benefits=scheduled_benefits(quoted))


def _page(form: QuoteForm, spec: ProductSpec | None, *, error: DomainError | None = None, **result) -> str:
    marked = ({f: text for f, text in field_errors(error).items() if f in FORM_FIELDS}
              if isinstance(error, InvalidInput) else {})
    shown = (summary(error) if isinstance(error, InvalidInput) else error_text(error)) if error else None
    return render_template(
        "web/quote.html", form=form, spec=spec, products=catalogue.on_sale(),
        error=shown, error_field=marked, **result,
    )
