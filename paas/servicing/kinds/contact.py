"""Contact changes (181/182/183): address at once; a new mobile or e-mail with a code to the
mobile on file (who asks) and a second code to the new contact (that it is theirs). The
previous mobile and e-mail are told of the change."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from paas.customers.identity import normalise_email, normalise_mobile
from paas.errors import N_, InvalidInput
from paas.customers.masking import mask_email, mask_mobile
from paas.security import alerts
from paas.security.models import Account
from paas.servicing.base import NONE, SMS, Field, PolicyContext, PreviewLine, Transaction

ADDRESS_LENGTH = N_("Give the full address, 5 to 300 characters.")


@dataclass(frozen=True)
class AddressChange(Transaction):
    kind: str = "contact_address"
    label: str = N_("Change address")
    description: str = N_("Where we send anything on paper and where we reach you.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"contact"}))
    fields: tuple[Field, ...] = (Field("address", N_("New address")),)
    step_up: str = NONE

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        address = " ".join(str(raw.get("address", "")).split())
        if not 5 <= len(address) <= 300:
            raise InvalidInput(ADDRESS_LENGTH, field="address")
        return {"address": address}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Address"), ctx.customer.address, inputs["address"])]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.customer.address = inputs["address"]
        return {"address": "changed"}


@dataclass(frozen=True)
class PhoneChange(Transaction):
    kind: str = "contact_phone"
    label: str = N_("Change mobile number")
    description: str = N_("We send one code to your mobile on file and one to the new number; the change takes effect when you type both here.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"contact"}))
    fields: tuple[Field, ...] = (Field("mobile", N_("New mobile number"), kind="phone"),)
    step_up: str = SMS

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        mobile = normalise_mobile(str(raw.get("mobile", "")))
        if mobile == ctx.customer.mobile:
            raise InvalidInput(N_("That is already your mobile number."), field="mobile")
        _not_someone_elses(uow, ctx, Account.mobile, mobile, "mobile")
        return {"mobile": mobile}

    def new_contact(self, ctx: PolicyContext, inputs: dict) -> tuple[str, str] | None:
        return "sms", inputs["mobile"]  # proves the customer holds the new number; the old one proves who asks

    def security_alert(self, uow, ctx: PolicyContext, inputs: dict):
        return alerts.MOBILE_CHANGED, {"mobile": mask_mobile(inputs["mobile"])}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Mobile"), ctx.customer.mobile, inputs["mobile"], kind="phone")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.customer.mobile = inputs["mobile"]
        # The sign-in by mobile follows the verified number.
        uow.session.execute(update(Account).where(Account.customer_id == ctx.customer.id).values(mobile=inputs["mobile"]))
        return {"mobile": "changed"}


@dataclass(frozen=True)
class EmailChange(Transaction):
    kind: str = "contact_email"
    label: str = N_("Change e-mail address")
    description: str = N_("Where electronic notices and receipts are sent.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"contact"}))
    fields: tuple[Field, ...] = (Field("email", N_("New e-mail address"), kind="email"),)
    step_up: str = SMS

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        email = normalise_email(str(raw.get("email", "")))
        if email == ctx.customer.email:
            raise InvalidInput(N_("That is already your e-mail address."), field="email")
        _not_someone_elses(uow, ctx, Account.email, email, "email")
        return {"email": email}

    def new_contact(self, ctx: PolicyContext, inputs: dict) -> tuple[str, str] | None:
        return "email", inputs["email"]

    def security_alert(self, uow, ctx: PolicyContext, inputs: dict):
        return alerts.EMAIL_CHANGED, {"email": mask_email(inputs["email"])}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("E-mail"), ctx.customer.email, inputs["email"], kind="email")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.customer.email = inputs["email"]
        uow.session.execute(update(Account).where(Account.customer_id == ctx.customer.id).values(email=inputs["email"]))
        return {"email": "changed"}


def _not_someone_elses(uow, ctx: PolicyContext, column, value: str, field_name: str) -> None:
    """Sign-in names are unique: another person's mobile or e-mail cannot become this one's."""
    holder = uow.session.scalar(select(Account.customer_id).where(column == value))
    if holder is not None and holder != ctx.customer.id:
        raise InvalidInput(N_("This is registered to another account; please use your own."), field=field_name)
