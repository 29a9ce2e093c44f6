"""New-business statistics for underwriters and supervisors."""
from __future__ import annotations

from flask import render_template

from paas.underwriting.statistics import new_business_statistics
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.i18n import current_locale
from saas.transaction import read_only, uow


@blueprint.get("/underwriting/statistics")
@staff_required
@read_only
def underwriting_statistics():
    return render_template("console/underwriting/statistics.html", s=new_business_statistics(uow(), principal()),
                           lang=current_locale())
