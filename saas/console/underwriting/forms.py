from __future__ import annotations

from saas.csrf import PageForm
from wtforms import StringField, TextAreaField


class DecisionForm(PageForm):
    extra_pct = StringField()
    exclusion = TextAreaField()
    note = TextAreaField()
    evidence_kind = StringField()
