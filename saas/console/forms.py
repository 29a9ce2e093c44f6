from __future__ import annotations

from saas.csrf import PageForm
from wtforms import HiddenField, PasswordField, StringField


class StaffLoginForm(PageForm):
    email = StringField()
    password = PasswordField()
    code = StringField()


class RevealForm(PageForm):
    field = HiddenField()
    bank_account = HiddenField()
    reason = StringField()


class SignOutForm(PageForm):
    pass
