from __future__ import annotations

from saas.csrf import PageForm
from wtforms import HiddenField, PasswordField, StringField


class LoginForm(PageForm):
    identifier = StringField()
    password = PasswordField()
    next = HiddenField()


class LogoutForm(PageForm):
    pass


class LanguageForm(PageForm):
    next = HiddenField()
