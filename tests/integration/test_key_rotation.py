"""Rotating the data key: old ciphertexts keep working, re-encryption moves them all to the
new key, and look-ups by keyed hash are unaffected."""
from __future__ import annotations

from sqlalchemy import select

from paas.customers.models import BankAccount, Customer
from paas.customers.registry import add_bank_account
from paas.customers.search import find_customers
from paas.security.reencryption import reencrypt_all
from tests.factories import make_customer, make_staff


def test_rotate_then_reencrypt_everything(platform, uow, keyring):
    customers = [make_customer(uow) for _ in range(5)]
    add_bank_account(uow, customers[0], bank_name="农业银行", account_number="6228480012345678")
    staff = make_staff(uow)
    uow.commit()
    old_key = keyring.active_key_id
    id_numbers = [keyring.decrypt(c.id_number_cipher, context="customer.id_number") for c in customers]

    platform.keyring = keyring.rotated()
    report = reencrypt_all(platform, batch_size=2)
    assert report.rewritten["customers.id_number_cipher"] >= 5
    assert report.rewritten["bank_accounts.account_cipher"] >= 1
    assert report.rewritten["accounts.totp_secret_cipher"] >= 1

    new_key = platform.keyring.active_key_id
    uow.session.expire_all()
    ciphers = uow.session.execute(select(Customer.id_number_cipher)).scalars().all()
    ciphers += uow.session.execute(select(BankAccount.account_cipher)).scalars().all()
    assert all(c.startswith(new_key + ":") for c in ciphers) and old_key != new_key
    for customer, id_number in zip(customers, id_numbers, strict=True):
        assert platform.keyring.decrypt(customer.id_number_cipher, context="customer.id_number") == id_number
    # Exact search by ID number still works: the keyed hash does not depend on the data key.
    assert [m.customer_number for m in find_customers(uow, _principal(staff), id_numbers[2])] == [customers[2].customer_number]
    assert reencrypt_all(platform).total == 0  # nothing left under the old key


def _principal(staff):
    from paas.security.sessions import principal_of

    return principal_of(staff.account)
