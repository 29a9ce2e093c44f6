from __future__ import annotations

from flask_wtf import FlaskForm


class ServiceForm(FlaskForm):
    """The fields come from the transaction; the form contributes the CSRF token."""


class ConfirmForm(FlaskForm):
    pass


class CancelForm(FlaskForm):
    pass
