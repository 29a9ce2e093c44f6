"""开通网络服务: an existing policyholder opens online service with their name, ID number and
one of their policy numbers. When all three match the insurer's records, a code goes to the
mobile ON FILE for that customer (never to a number typed in); the code and a strong password
then open the account at tier View, identity proved. The answer is the same whether or not
anything matched: a stable decoy ending is shown for details that match nobody, and the code
step fails the same way. Attempts are limited per ID number and per address; every step is audited."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.customers.identity import normalise_email, normalise_resident_id
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import N_, InvalidInput, NotPermitted
from paas.field_checks import FieldChecks
from paas.i18n import supported, translate
from paas.messaging import outbox
from paas.policies.models import Policy
from paas.security import codes, email_links, limits
from paas.security.accounts import create_policyholder_account
from paas.security.login import SignedIn, open_signed_in
from paas.security.models import Account
from paas.security.passwords import check_strength

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ANONYMOUS = Actor("anonymous", None, "anonymous")
NAME_NEEDED = N_("Enter your name as on your ID card.")
POLICY_NEEDED = N_("Enter one of your policy numbers, e.g. P0000000017.")
NO_MOBILE_ON_FILE = N_("We have no mobile number on file to send your code to. Please call 95500 or visit a "
                       "service counter with your ID card to open online service.")
ALREADY_ENROLLED_SMS = N_("[Pinghe Life] Someone asked to open online service with your details, but you have it "
                          "already. Sign in, or reset your password if you forgot it. Not you? Call 95500.")


@dataclass(frozen=True)
class CodeSent:
    """What the page shows: the handle for the next step, the last two digits to expect it on."""

    handle: str
    ending: str


def _name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name or len(name) > 100:
        raise InvalidInput(NAME_NEEDED, field="name")
    return name


def _policy_number(text: str) -> str:
    number = (text or "").strip().upper()
    if not number or len(number) > 32:
        raise InvalidInput(POLICY_NEEDED, field="policy_number")
    return number


def decoy(uow: "UnitOfWork", *parts: str) -> CodeSent:
    """For details that match nobody: an unused handle and an ending that stays the same for
    the same details (asking twice must not show two different numbers)."""
    seed = uow.keyring.blind_index("\x1f".join(parts), context="account.decoy")
    return CodeSent(secrets.token_urlsafe(24), f"{int(seed[:8], 16) % 100:02d}")


def start(uow: "UnitOfWork", name: str, id_number: str, policy_number: str, *, address: str, locale: str) -> CodeSent:
    checks = FieldChecks()
    name = checks(_name, name)
    id_number = checks(normalise_resident_id, id_number)
    policy_number = checks(_policy_number, policy_number)
    checks.done()
    index = uow.keyring.blind_index(id_number, context=ID_NUMBER_CONTEXT)
    limits.for_enrolment(uow, index, address)
    customer = uow.session.scalar(
        select(Customer).join(Policy, Policy.owner_id == Customer.id)
        .where(Customer.id_number_index == index, Policy.policy_number == policy_number).limit(1))
    matched = customer is not None and " ".join(customer.name.split()) == name
    chain.record(uow, ANONYMOUS, "enrolment.started", subject=f"customer:{customer.id}" if matched else None,
                 detail={"matched": matched}, address=address)
    if not matched:
        return decoy(uow, name, id_number, policy_number)
    if not customer.mobile:
        raise NotPermitted(NO_MOBILE_ON_FILE)  # said only once all three matched; nothing is created
    limits.for_code(uow, customer.mobile, address)
    language = supported(locale) or "zh"
    if uow.session.scalar(select(Account.id).where(Account.customer_id == customer.id, Account.is_active)):
        outbox.queue(uow, channel="sms", kind="enrolment_exists", recipient=customer.mobile, locale=language,
                     body=translate(language, ALREADY_ENROLLED_SMS), customer_id=customer.id)
        return CodeSent(secrets.token_urlsafe(24), customer.mobile[-2:])
    sent = codes.send_sms_code(uow, codes.ENROL, customer.mobile, language, customer_id=customer.id)
    return CodeSent(sent.handle, customer.mobile[-2:])


def finish(uow: "UnitOfWork", handle: str, code: str, password: str, email: str | None, *, address: str,
           user_agent: str | None, locale: str) -> SignedIn:
    """The code, a strong password and an optional e-mail (confirmed later by its link). The
    password is judged first, so a weak one does not use up the code."""
    checks = FieldChecks()
    row = codes.pending(uow, codes.ENROL, handle)
    customer = uow.session.get(Customer, row.customer_id) if row is not None else None
    own = (customer.name, uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT),
           (customer.mobile or "")[-11:]) if customer is not None else ()
    checks(check_strength, password or "", own_details=own)
    typed_email = checks(normalise_email, email) if (email or "").strip() else None
    if not (code or "").strip():
        checks.refuse(codes.WRONG, "code")
    checks.done()
    row = codes.check(uow, codes.ENROL, handle, code)
    customer = uow.session.get(Customer, row.customer_id, with_for_update=True)
    account = _open(uow, customer, password, locale)
    chain.record(uow, Actor("customer", account.id, account.display_name), "enrolment.finished",
                 subject=f"account:{account.id}", address=address)
    if typed_email and typed_email != account.email:
        email_links.ask_confirmation(uow, account, typed_email)
    return open_signed_in(uow, account, address=address, user_agent=user_agent, how="enrolment")


def _open(uow: "UnitOfWork", customer: Customer, password: str, locale: str) -> Account:
    """The customer's account; a visitor account already on their mobile becomes it."""
    if uow.session.scalar(select(Account.id).where(Account.customer_id == customer.id, Account.is_active)):
        raise InvalidInput(codes.WRONG, field="code")  # opened meanwhile by the same code's twin
    visitor = uow.session.scalar(select(Account).where(Account.mobile == customer.mobile, Account.customer_id.is_(None),
                                                       Account.role.is_(None)).with_for_update())
    if visitor is None:
        return create_policyholder_account(uow, customer, password, locale=supported(locale) or "zh",
                                           opened_online=True)
    now = uow.clock.now()
    visitor.customer_id, visitor.display_name = customer.id, customer.name
    visitor.password_hash = uow.platform.passwords.hash(password)
    visitor.identity_verified_at, visitor.identity_verified_by = now, "enrolment"
    chain.record(uow, Actor("customer", visitor.id, customer.name), "account.linked_to_customer",
                 subject=f"account:{visitor.id}", detail={"customer": customer.id})
    return visitor
