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
from paas.field_checks import FieldChecks

ADDRESS_ON_FILE = N_("On file now: %(address)s")
NO_ADDRESS_ON_FILE = N_("We have no address on file for you yet.")
POSTCODE = N_("A postcode is 6 digits.")


@dataclass(frozen=True)
class AddressChange(Transaction):
    """The address in its parts (as the post office and the regulator's forms want them),
    kept with the one display string notices and pages use."""

    kind: str = "contact_address"
    label: str = N_("Change address")
    description: str = N_("Where we send anything on paper and where we reach you.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"contact"}))
    fields: tuple[Field, ...] = (
        Field("province", N_("Province, region or municipality")),
        Field("city", N_("City")),
        Field("district", N_("District or county")),
        Field("street", N_("Street, building and room")),
        Field("postcode", N_("Postcode")),
    )
    step_up: str = NONE

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        checks = FieldChecks()
        parts = {name: checks(_address_part, raw, name, shortest, longest)
                 for name, (shortest, longest) in ADDRESS_PARTS.items()}
        checks.done()
        return {**parts, "address": display_address(parts)}

    def field_guide(self, ctx: PolicyContext) -> dict[str, tuple[str, dict]]:
        address = ctx.customer.address
        return {"province": (ADDRESS_ON_FILE, {"address": address}) if address else (NO_ADDRESS_ON_FILE, {})}

    def on_file(self, ctx: PolicyContext) -> dict[str, str]:
        return {name: value for name in ADDRESS_PARTS if (value := getattr(ctx.customer, f"address_{name}"))}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Address"), ctx.customer.address, inputs["address"]),
                PreviewLine(N_("Postcode"), ctx.customer.address_postcode, inputs["postcode"])]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        for name in ADDRESS_PARTS:
            setattr(ctx.customer, f"address_{name}", inputs[name])
        ctx.customer.address = inputs["address"]
        return {"address": "changed"}


# Each part's length, shortest to longest (the columns' sizes); the postcode is 6 digits.
ADDRESS_PARTS = {"province": (2, 40), "city": (2, 40), "district": (2, 40), "street": (2, 200), "postcode": (6, 6)}
PART_LENGTH = N_("Between %(shortest)s and %(longest)s characters, please.")


def _address_part(raw: dict[str, Any], name: str, shortest: int, longest: int) -> str:
    value = " ".join(str(raw.get(name, "")).split())
    if name == "postcode":
        if not (len(value) == 6 and value.isascii() and value.isdigit()):
            raise InvalidInput(POSTCODE, field=name)
    elif not shortest <= len(value) <= longest:
        raise InvalidInput(PART_LENGTH, field=name, shortest=shortest, longest=longest)
    return value


def display_address(parts: dict[str, str]) -> str:
    """The address as one line, largest part first as Chinese addresses are written; a
    municipality (上海市 上海市) is named once."""
    city = "" if parts["city"] == parts["province"] else parts["city"]
    return "".join((parts["province"], city, parts["district"], parts["street"]))[:300]


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
