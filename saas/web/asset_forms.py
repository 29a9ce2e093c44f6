"""The external-account form. Fields are plain text: the service checks them (so the web and
the API give the same messages); the form contributes the CSRF token."""
from __future__ import annotations

from saas.csrf import PageForm
from wtforms import StringField


class ExternalAccountForm(PageForm):
    name = StringField()
    kind = StringField()
    institution = StringField()
    balance = StringField()
    as_of = StringField()


class RemoveForm(PageForm):
    pass
