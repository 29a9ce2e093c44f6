from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class DocumentsForm(FlaskForm):
    note = TextAreaField()


class ApproveForm(FlaskForm):
    amount = StringField()
    hospital_days = StringField()
    note = TextAreaField()
    confirmed_amount = StringField()


class DeclineForm(FlaskForm):
    reason = TextAreaField()
