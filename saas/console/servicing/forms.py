from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class DecisionForm(FlaskForm):
    note = StringField()


class StepUpForm(FlaskForm):
    code = StringField()


class PlainForm(FlaskForm):
    """Only the CSRF token (cancel, the generic service form)."""


class IdRevealForm(FlaskForm):
    which = HiddenField()
    reason = StringField()
