"""API schemas for policy servicing: the services of a policy with their fields, previews and
requests. Labels and messages come in the caller's language (Accept-Language)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields

STATUSES = ["awaiting_code", "pending_review", "held", "applied", "rejected", "cancelled", "expired"]
STEP_UPS = ["none", "sms", "totp"]
ANY_VALUE = {"description": "A string, number, boolean or null, typed by kind (money and dates as strings)."}


class Choice(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class ServiceField(Schema):
    name = fields.String(required=True, metadata={"description": "The key to send in the request body."})
    label = fields.String(required=True)
    kind = fields.String(required=True, metadata={
        "description": "text, money, date, choice, percent, phone, email, bool, bank_account (the position of one of "
                       "the caller's bank accounts, from 1), beneficiaries (a list of {name, relationship, rank, "
                       "share, id_number}), fund (a fund code), fund_allocation ({fund code: whole percent}), document (a "
                       "reference from POST /documents); others are typed as text."})
    required = fields.Boolean(required=True)
    choices = fields.List(fields.Nested(Choice), required=True)
    help = fields.String(allow_none=True)
    now = fields.String(allow_none=True, metadata={
        "description": "What applies before anything is typed: the most that can be taken, the address on file."})
    on_file = fields.String(allow_none=True, metadata={"description": "The value on file now, to start from."})


class Service(Schema):
    kind = fields.String(required=True)
    label = fields.String(required=True)
    description = fields.String(required=True)
    available = fields.Boolean(required=True)
    reason = fields.String(allow_none=True, metadata={"description": "Why it is not available now (null if it is)."})
    step_up = fields.String(required=True, metadata={"enum": STEP_UPS, "description": "sms: confirmed with a code sent by SMS."})
    fields_ = fields.List(fields.Nested(ServiceField), required=True, data_key="fields")


class BankAccountChoice(Schema):
    position = fields.Integer(required=True)
    bank_name = fields.String(required=True)
    number_masked = fields.String(required=True)


class FundChoice(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class ServiceList(Schema):
    policy_number = fields.String(required=True)
    services = fields.List(fields.Nested(Service), required=True)
    bank_accounts = fields.List(fields.Nested(BankAccountChoice), required=True,
                                metadata={"description": "Choices for bank_account fields."})
    funds = fields.List(fields.Nested(FundChoice), required=True,
                        metadata={"description": "Choices for fund fields; the keys of fund_allocation fields."})


class PreviewLine(Schema):
    label = fields.String(required=True)
    before = fields.Raw(allow_none=True, metadata=ANY_VALUE)
    after = fields.Raw(allow_none=True, metadata=ANY_VALUE)
    kind = fields.String(required=True, metadata={"description": "text, money, date, label, bool, percent, phone, email."})


class ServicePreview(Schema):
    kind = fields.String(required=True)
    step_up = fields.String(required=True, metadata={"enum": STEP_UPS})
    review_queue = fields.String(allow_none=True, metadata={"description": "Set when a colleague decides it after submission."})
    preview = fields.List(fields.Nested(PreviewLine), required=True)


class ServiceRequest(Schema):
    reference = fields.String(required=True)
    kind = fields.String(required=True)
    label = fields.String(required=True)
    policy_number = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    status_label = fields.String(required=True)
    channel = fields.String(required=True, metadata={"enum": ["web", "api", "sms", "console"]})
    on_behalf = fields.Boolean(required=True, metadata={"description": "Entered by our staff for the customer."})
    step_up = fields.String(required=True, metadata={"enum": STEP_UPS})
    code_sent_to = fields.String(allow_none=True, metadata={"description": "The masked mobile the code went to."})
    contact_code_sent_to = fields.String(allow_none=True, metadata={
        "description": "The masked new mobile or e-mail a second code went to: confirm with both (contact_code)."})
    hold_until = fields.DateTime(allow_none=True, metadata={
        "description": "A held payout (to a bank account added lately) is paid then; cancel it with DELETE until then."})
    review_queue = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    applied_at = fields.DateTime(allow_none=True)
    preview = fields.List(fields.Nested(PreviewLine), required=True)
    outcome = fields.Dict(allow_none=True, metadata={"description": "What applying it did."})


class ServiceRequestList(Schema):
    requests = fields.List(fields.Nested(ServiceRequest), required=True)


class ConfirmInput(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(required=True, metadata={"description": "The 6-digit code from the SMS."})
    contact_code = fields.String(metadata={"description": "The 6-digit code sent to the new mobile or e-mail, "
                                                          "when the request names one (contact_code_sent_to)."})


class Document(Schema):
    reference = fields.String(required=True, metadata={"description": "Send it as the value of a document field."})
    filename = fields.String(required=True)
    content_type = fields.String(required=True, metadata={"enum": ["application/pdf", "image/jpeg", "image/png"]})
    size = fields.Integer(required=True)
