"""Response schemas of the notice endpoints: the inbox, one notice, the choices of channel."""
from __future__ import annotations

from marshmallow import Schema, fields


class NoticeLine(Schema):
    id = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"description": "The notice type's code, e.g. premium_due."})
    title = fields.String(required=True, metadata={"description": "The type's name in the caller's language."})
    policy_number = fields.String(allow_none=True)
    issued_on = fields.Date(required=True)
    read = fields.Boolean(required=True)
    verification_code = fields.String(required=True)


class NoticeList(Schema):
    unread = fields.Integer(required=True)
    notices = fields.List(fields.Nested(NoticeLine), required=True)


class NoticeDetail(NoticeLine):
    genuine = fields.Boolean(required=True, metadata={"description": "The stored data still matches its signature."})
    data = fields.Dict(required=True, metadata={"description": "The signed canonical data."})
    key_id = fields.String(required=True)
    signature = fields.String(required=True, metadata={"description": "Ed25519 over the canonical data, base64url."})
    summary = fields.String(required=True, metadata={"description": "The notice in a sentence, in the caller's language."})
    pdf_url = fields.String(allow_none=True)


class NoticeChoice(Schema):
    type = fields.String(required=True)
    channel = fields.String(required=True, metadata={"description": "email, sms or paper."})
    wanted = fields.Boolean(required=True)
    locked = fields.Boolean(required=True, metadata={"description": "Decided by law (or not applicable): not changeable."})
    available = fields.Boolean(required=True, metadata={"description": "The contact for this channel is on file."})


class NoticePreferences(Schema):
    choices = fields.List(fields.Nested(NoticeChoice), required=True)
