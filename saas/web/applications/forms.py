from __future__ import annotations

from flask_wtf import FlaskForm


class ApplicationForm(FlaskForm):
    """The fields are read by the service (paas.underwriting.entry); the form contributes the CSRF token."""


class ActionForm(FlaskForm):
    pass
