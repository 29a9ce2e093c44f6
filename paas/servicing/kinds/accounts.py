"""Payment method and bank account (184), and a correction of the name or ID number on
file (18601), which a clerk approves against the uploaded ID document."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from paas.customers.identity import normalise_resident_id
from paas.customers.masking import mask_account_number, mask_id_number
from paas.customers.registry import ID_NUMBER_CONTEXT, add_bank_account
from paas.documents.models import Document
from paas.errors import N_
from paas.policies.terms import PREMIUM_STATUSES, SINGLE
from paas.security import alerts
from paas.servicing.base import CLERK, NONE, SMS, Field, PolicyContext, PreviewLine, Transaction
from paas.field_checks import FieldChecks
from paas.servicing.kinds.common import require_eligible
from paas.servicing.kinds.preferences import NO_PREMIUMS_LEFT
from paas.servicing.payout import check_payout_account

METHODS = (("bank_debit", N_("Direct debit from a bank account")), ("online", N_("I pay online each time")))


@dataclass(frozen=True)
class PaymentMethodChange(Transaction):
    kind: str = "payment_method"
    label: str = N_("Change payment method or bank account")
    description: str = N_("Choose direct debit from a bank account, or paying online; add a new account if needed.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"billing"}))
    fields: tuple[Field, ...] = (
        Field("method", N_("Payment method"), kind="choice", choices=METHODS),
        Field("bank_account", N_("Debit this account"), kind="bank_account", required=False),
        Field("new_bank_name", N_("Or add a bank: bank name"), required=False),
        Field("new_account_number", N_("New account number"), required=False),
    )
    step_up: str = SMS
    changes_payee: bool = True

    def eligibility(self, ctx: PolicyContext) -> str | None:
        # How premiums are collected matters only while premiums are being paid.
        if ctx.policy.status not in PREMIUM_STATUSES or ctx.facts.premium_mode == SINGLE:
            return NO_PREMIUMS_LEFT
        return None

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        require_eligible(self, ctx)
        checks = FieldChecks()
        method = str(raw.get("method", ""))
        if method not in dict(METHODS):
            checks.refuse(N_("Choose a payment method."), "method")
        if method == "online":
            return {"method": method, "bank_account": None, "new": None}
        # Not online (or not chosen yet): the account fields are checked too, all at once.
        number = "".join(str(raw.get("new_account_number") or "").split())
        if number:
            bank = " ".join(str(raw.get("new_bank_name") or "").split())
            if not 2 <= len(bank) <= 60:
                checks.refuse(N_("Give the bank's name."), "new_bank_name")
            if not number.isascii() or not number.isdigit() or not 12 <= len(number) <= 19:
                checks.refuse(N_("A bank account number has 12 to 19 digits."), "new_account_number")
            checks.done()
            return {"method": method, "bank_account": None, "new": {"bank": bank, "number": number}}
        account = checks(check_payout_account, uow, ctx, raw.get("bank_account"))
        checks.done()
        return {"method": method, "bank_account": account, "new": None}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        after = dict(METHODS)[inputs["method"]]
        lines = [PreviewLine(N_("Payment method"), dict(METHODS).get(ctx.policy.payment_method), after, kind="label")]
        if inputs["new"]:
            lines.append(PreviewLine(N_("Debit this account"), None,
                                     f"{inputs['new']['bank']} {mask_account_number(inputs['new']['number'])}"))
        return lines

    def security_alert(self, uow, ctx: PolicyContext, inputs: dict):
        if inputs["new"]:
            return alerts.BANK_ACCOUNT_ADDED, {"account": f"{inputs['new']['bank']} {mask_account_number(inputs['new']['number'])}"}
        return alerts.PAYEE_CHANGED, {"what": self.label, "policy": ctx.policy.policy_number}

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.policy.payment_method = inputs["method"]
        if inputs["method"] == "online":
            ctx.policy.debit_bank_account_id = None
        elif inputs["new"]:
            account = add_bank_account(uow, ctx.customer, bank_name=inputs["new"]["bank"],
                                       account_number=inputs["new"]["number"])
            uow.session.flush()
            ctx.policy.debit_bank_account_id = account.id
        else:
            ctx.policy.debit_bank_account_id = ctx.customer.bank_accounts[inputs["bank_account"] - 1].id
        return {"method": inputs["method"]}


@dataclass(frozen=True)
class NameIdCorrection(Transaction):
    kind: str = "name_id_correction"
    label: str = N_("Correct name or ID number")
    description: str = N_("Upload your ID document; a clerk checks it against the correction before it applies.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"identity", "beneficiaries"}))
    fields: tuple[Field, ...] = (
        Field("name", N_("Name as on the ID document"), required=False),
        Field("id_number", N_("ID number"), required=False),
        Field("document", N_("ID document (PDF, JPEG or PNG)"), kind="document"),
    )
    step_up: str = NONE

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        checks = FieldChecks()
        name = " ".join(str(raw.get("name") or "").split())
        id_text = str(raw.get("id_number") or "").strip()
        id_number = (checks(normalise_resident_id, id_text) or "") if id_text else ""
        current_id = uow.keyring.decrypt(ctx.customer.id_number_cipher, context=ID_NUMBER_CONTEXT)
        if name and not 2 <= len(name) <= 60:
            checks.refuse(N_("Give the full name, 2 to 60 characters."), "name")
        elif checks.ok and (not name or name == ctx.customer.name) and (not id_number or id_number == current_id):
            checks.refuse(N_("Give the corrected name or ID number."), "name")
        document = uow.session.execute(
            select(Document.reference).where(Document.reference == str(raw.get("document") or "")[:24],
                                             Document.customer_id == ctx.customer.id)
        ).scalar_one_or_none()
        if document is None:
            checks.refuse(N_("Upload a copy of your ID document."), "document")
        checks.done()
        # The number on file, masked, is what the preview's "before" shows.
        return {"name": name or None, "id_number": id_number or None, "document": document,
                "id_number_before": mask_id_number(current_id)}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        lines = []
        if inputs["name"]:
            lines.append(PreviewLine(N_("Name"), ctx.customer.name, inputs["name"]))
        if inputs["id_number"]:
            lines.append(PreviewLine(N_("ID number"), inputs.get("id_number_before"), mask_id_number(inputs["id_number"])))
        return lines

    def route(self, ctx: PolicyContext, inputs: dict) -> str | None:
        return CLERK

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        customer = ctx.customer
        if inputs["name"]:
            customer.name = inputs["name"]
        if inputs["id_number"]:
            customer.id_number_cipher = uow.keyring.encrypt(inputs["id_number"], context=ID_NUMBER_CONTEXT)
            customer.id_number_index = uow.keyring.blind_index(inputs["id_number"], context=ID_NUMBER_CONTEXT)
        return {"name": bool(inputs["name"]), "id_number": bool(inputs["id_number"])}
