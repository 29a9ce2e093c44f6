"""Pre-sale forms. Every field is plain text: the services check it (so the web, the API and
the CLI give the same messages); the form contributes the CSRF token."""
from __future__ import annotations

from saas.csrf import PageForm
from wtforms import HiddenField, StringField


class QuoteForm(PageForm):
    product = HiddenField()
    sex = StringField()
    birth_date = StringField()
    age = StringField()
    sum_assured = StringField()
    term = StringField()
    premium_term = StringField()
    mode = StringField()


class AdvisorForm(PageForm):
    annual_income = StringField()
    age = StringField()
    dependents = StringField()
    youngest_age = StringField()
    children = StringField()
    debts = StringField()
    savings = StringField()
    existing_cover = StringField()
