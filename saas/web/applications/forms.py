from __future__ import annotations

from saas.csrf import PageForm


class ApplicationForm(PageForm):
    """The fields are read by the service (paas.underwriting.entry); the form contributes the CSRF token."""


class ActionForm(PageForm):
    pass
