from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class DecisionForm(FlaskForm):
    extra_pct = StringField()
    exclusion = TextAreaField()
    note = TextAreaField()
    evidence_kind = StringField()
