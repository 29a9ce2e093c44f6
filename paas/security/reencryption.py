"""After a key rotation: re-encrypt every stored ciphertext made under an older key, in
batches (each its own transaction), so the old key can eventually be retired."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.models import BankAccount, Customer
from paas.customers.registry import BANK_ACCOUNT_CONTEXT, ID_NUMBER_CONTEXT
from paas.messaging.models import OutboxMessage
from paas.messaging.outbox import SECRETS_CONTEXT
from paas.policies.models import BENEFICIARY_ID_CONTEXT, Beneficiary
from paas.security.models import Account
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.platform import Platform

ENCRYPTED_COLUMNS = (
    (Customer, Customer.id_number_cipher, ID_NUMBER_CONTEXT),
    (BankAccount, BankAccount.account_cipher, BANK_ACCOUNT_CONTEXT),
    (Account, Account.totp_secret_cipher, "account.totp_secret"),
    (Beneficiary, Beneficiary.id_number_cipher, BENEFICIARY_ID_CONTEXT),
    (ServiceRequest, ServiceRequest.inputs, "servicing.inputs"),
    (OutboxMessage, OutboxMessage.sealed_secrets, SECRETS_CONTEXT),  # codes not yet delivered
)


@dataclass(frozen=True)
class ReencryptionReport:
    rewritten: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


def reencrypt_all(platform: "Platform", *, batch_size: int = 2000, progress: Callable[[str], None] = lambda _m: None) -> ReencryptionReport:
    keyring = platform.keyring
    active_prefix = keyring.active_key_id + ":"
    rewritten: dict[str, int] = {}
    for model, column, context in ENCRYPTED_COLUMNS:
        name = f"{model.__tablename__}.{column.key}"
        rewritten[name] = 0
        last_id = 0
        while True:
            with platform.unit_of_work() as uow:
                rows = uow.session.execute(
                    select(model)
                    .where(model.id > last_id, column.is_not(None), ~column.startswith(active_prefix, autoescape=True))
                    .order_by(model.id)
                    .limit(batch_size)
                    .with_for_update()
                ).scalars().all()
                if not rows:
                    break
                for row in rows:
                    plain = keyring.decrypt(getattr(row, column.key), context=context)
                    setattr(row, column.key, keyring.encrypt(plain, context=context))
                last_id = rows[-1].id
                uow.commit()
            rewritten[name] += len(rows)
            progress(f"{name}: {rewritten[name]} re-encrypted")
    return ReencryptionReport(rewritten)
