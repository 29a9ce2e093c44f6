from __future__ import annotations

from saas.csrf import PageForm
from wtforms import StringField, TextAreaField


class DocumentsForm(PageForm):
    note = TextAreaField()


class ApproveForm(PageForm):
    amount = StringField()
    hospital_days = StringField()
    note = TextAreaField()
    confirmed_amount = StringField()


class DeclineForm(PageForm):
    reason = TextAreaField()
