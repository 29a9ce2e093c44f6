from __future__ import annotations

from saas.csrf import PageForm


class ServiceForm(PageForm):
    """The fields come from the transaction; the form contributes the CSRF token."""


class ConfirmForm(PageForm):
    pass


class CancelForm(PageForm):
    pass
