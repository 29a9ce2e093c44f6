from __future__ import annotations

from saas.csrf import PageForm


class ReportForm(PageForm):
    """The fields are read by ``ClaimEntry``; the form contributes the CSRF token."""


class UploadForm(PageForm):
    pass


class WithdrawForm(PageForm):
    pass


class RemoveDocumentForm(PageForm):
    pass
