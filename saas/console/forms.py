from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField


class StaffLoginForm(FlaskForm):
    email = StringField()
    password = PasswordField()
    code = StringField()


class RevealForm(FlaskForm):
    field = HiddenField()
    bank_account = HiddenField()
    reason = StringField()


class SignOutForm(FlaskForm):
    pass
