from __future__ import annotations

from flask_wtf import FlaskForm


class ReportForm(FlaskForm):
    """The fields are read by ``ClaimEntry``; the form contributes the CSRF token."""


class UploadForm(FlaskForm):
    pass


class WithdrawForm(FlaskForm):
    pass


class RemoveDocumentForm(FlaskForm):
    pass
