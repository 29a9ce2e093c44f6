"""Response schemas of opening online service, signing in and the account's own settings."""
from __future__ import annotations

from marshmallow import Schema, fields


class CsrfToken(Schema):
    csrf_token = fields.String(required=True, metadata={"description": "Send it as X-CSRFToken with the POST that follows."})


class CodeSent(Schema):
    handle = fields.String(required=True, metadata={"description": "Names the code step; send it back with the code."})
    ending = fields.String(required=True, metadata={
        "description": "The last two digits of the mobile the code went to, if the details matched."})
    message = fields.String(required=True)


class ResetStarted(Schema):
    handle = fields.String(required=True, allow_none=True, metadata={
        "description": "For a mobile: names the code step. For an e-mail: null (a link was sent, if it is an account's)."})
    ending = fields.String(required=True, allow_none=True)
    message = fields.String(required=True)


class SignedIn(Schema):
    display_name = fields.String(required=True)
    policyholder = fields.Boolean(required=True)
    csrf_token = fields.String(required=True, metadata={"description": "The new session's token for changes."})


class SecondStep(Schema):
    handle = fields.String(required=True, metadata={"description": "Send it to POST /login/authenticator with the code."})
    message = fields.String(required=True)


class Done(Schema):
    message = fields.String(required=True)


class Tier(Schema):
    tier = fields.String(required=True, metadata={"description": "view or transact"})
    label = fields.String(required=True)
    identity_verified_at = fields.DateTime(allow_none=True)
    identity_verified_by = fields.String(allow_none=True, metadata={"description": "counter / enrolment"})
    card_verified_at = fields.DateTime(allow_none=True)
    card_verified_by = fields.String(allow_none=True, metadata={"description": "counter / four_elements"})


class Account(Schema):
    name = fields.String(required=True)
    id_number = fields.String(allow_none=True, metadata={"description": "Masked."})
    mobile = fields.String(allow_none=True, metadata={"description": "Masked."})
    email = fields.String(allow_none=True, metadata={"description": "The confirmed e-mail, masked."})
    pending_email = fields.String(allow_none=True, metadata={"description": "Waiting for its link, masked."})
    customer_number = fields.String(allow_none=True)
    locale = fields.String(required=True)
    authenticator_on = fields.Boolean(required=True)
    tier = fields.Nested(Tier, required=True)


class Session(Schema):
    id = fields.Integer(required=True)
    device = fields.String(required=True)
    place = fields.String(required=True)
    address = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    last_seen_at = fields.DateTime(required=True)
    current = fields.Boolean(required=True)


class SessionList(Schema):
    sessions = fields.List(fields.Nested(Session), required=True)


class AuthenticatorSetup(Schema):
    secret = fields.String(required=True, metadata={"description": "Add it to the app, then POST a code with it."})
    uri = fields.String(required=True, metadata={"description": "The otpauth:// address (a QR code of it, for the app)."})


class RecoveryCodes(Schema):
    recovery_codes = fields.List(fields.String(), required=True, metadata={"description": "Shown once; each works once."})
