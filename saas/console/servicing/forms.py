from __future__ import annotations

from saas.csrf import PageForm
from wtforms import HiddenField, StringField


class DecisionForm(PageForm):
    note = StringField()


class StepUpForm(PageForm):
    code = StringField()


class PlainForm(PageForm):
    """Only the CSRF token (cancel, the generic service form)."""


class IdRevealForm(PageForm):
    which = HiddenField()
    reason = StringField()
