"""The needs-analysis advisor (需求分析), for anyone: a few questions about the household, the
cover it needs worked out step by step, and the products that suit, each one a quote away."""
from __future__ import annotations

from flask import abort, render_template

from paas.advice import needs
from paas.advice.advisor import advise
from paas.advice.circumstances import AGES, FIELDS
from paas.advice.recommend import CAPPED
from paas.errors import InvalidInput
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import read_only
from saas.web import blueprint
from saas.web.presale_forms import AdvisorForm


@blueprint.get("/advisor")
@read_only
def advisor():
    return _page(AdvisorForm())


@blueprint.post("/advisor")
@read_only
def advice():
    form = AdvisorForm()
    if not form.validate_on_submit():  # only the CSRF token can fail here
        abort(400)
    try:
        result = advise({name: form[name].data for name in FIELDS})
    except InvalidInput as error:
        return _page(form, error=error), 422
    return _page(form, advice=result)


def _page(form: AdvisorForm, *, error: InvalidInput | None = None, advice=None) -> str:
    return render_template(
        "web/advisor.html", form=form, advice=advice, assumptions=needs, ages=AGES, capped_note=CAPPED,
        error=summary(error) if error else None, error_field=field_errors(error) if error else {},
    )
