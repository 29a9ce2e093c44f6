"""API schemas for claims: reporting one, the claimant's list, one claim with its timeline and
documents. Labels come in the caller's language (Accept-Language)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from saas.api.schemas import Money

KINDS = ["death", "critical_illness", "hospitalisation", "disability", "maturity"]
STATUSES = ["reported", "under_review", "awaiting_second_approval", "approved", "paid", "declined", "withdrawn"]
TYPES = ["application/pdf", "image/jpeg", "image/png"]


class NewBankAccount(Schema):
    class Meta:
        unknown = RAISE

    bank_name = fields.String(required=True)
    account_number = fields.String(required=True, metadata={"description": "12 to 19 digits; stored encrypted."})


class ClaimInput(Schema):
    class Meta:
        unknown = RAISE

    policy_number = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": KINDS})
    incident_date = fields.String(required=True, metadata={"format": "date", "description": "YYYY-MM-DD"})
    facts = fields.String(required=True, metadata={"description": "What happened, 10 to 2,000 characters."})
    claimant_name = fields.String(metadata={"description": "Defaults to the policyholder's name."})
    bank_account = fields.String(metadata={
        "description": "The payee: the position (from 1) of one of the caller's bank accounts, as GET "
                       "/policies/{policy_number}/services lists them. Defaults to 1."})
    new_bank_account = fields.Nested(NewBankAccount, metadata={
        "description": "Instead of bank_account: pay into this account, added to the caller's accounts."})


class DocumentNeed(Schema):
    code = fields.String(required=True, metadata={"description": "The document_type to upload it as."})
    label = fields.String(required=True)


class ClaimDocument(Schema):
    reference = fields.String(required=True)
    document_type = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True, metadata={"enum": TYPES})
    size = fields.Integer(required=True)
    uploaded_at = fields.DateTime(required=True)
    download = fields.String(required=True, metadata={"description": "Where to download it (the claimant only)."})


class TimelineEntry(Schema):
    status = fields.String(required=True, metadata={"enum": STATUSES})
    status_label = fields.String(required=True)
    note = fields.String(allow_none=True, metadata={"description": "A request for documents, or the decision's reason."})
    occurred_at = fields.DateTime(required=True)


class ClaimSummary(Schema):
    reference = fields.String(required=True)
    policy_number = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": KINDS})
    kind_label = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    status_label = fields.String(required=True)
    incident_date = fields.Date(required=True)
    reported_at = fields.DateTime(required=True)
    approved_amount = Money(allow_none=True)
    missing_documents = fields.List(fields.Nested(DocumentNeed), required=True)


class Claim(ClaimSummary):
    claimant_name = fields.String(required=True)
    facts = fields.String(required=True)
    decision_reason = fields.String(allow_none=True)
    payout_hold_until = fields.DateTime(allow_none=True, metadata={
        "description": "Approved and paid to a bank account added lately: the payment goes then (call 95500 to stop it)."})
    timeline = fields.List(fields.Nested(TimelineEntry), required=True)
    required_documents = fields.List(fields.Nested(DocumentNeed), required=True)
    documents = fields.List(fields.Nested(ClaimDocument), required=True)


class ClaimList(Schema):
    claims = fields.List(fields.Nested(ClaimSummary), required=True)
