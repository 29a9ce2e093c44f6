"""Migration 0008 on a database from before it: bank accounts already on file count as verified
(payouts to them are not held); ``portal servicing release-held`` runs on the result."""
from __future__ import annotations

import sqlite3

from tests.integration.test_cli import CUSTOMER_BEFORE_THE_MIGRATION, run  # noqa: F401  (the fixture)


def test_accounts_on_file_before_the_migration_count_as_verified(run, tmp_path):  # noqa: F811
    assert run("db", "upgrade", "--revision", "0007").exit_code == 0
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    db.execute(CUSTOMER_BEFORE_THE_MIGRATION)
    db.execute("INSERT INTO bank_accounts (id, customer_id, bank_name, holder_name, account_cipher, account_index, "
               "created_at) VALUES (1, 1, '中国银行', '老客户', 'x', 'y', '2026-11-26 00:00:00.000000')")
    db.commit()
    db.close()
    assert run("db", "upgrade").exit_code == 0
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    assert db.execute("SELECT verified_at = created_at FROM bank_accounts").fetchall() == [(1,)]
    assert db.execute("SELECT money_frozen_at FROM customers").fetchall() == [(None,)]
    db.close()
    released = run("servicing", "release-held")
    assert released.exit_code == 0 and "Released 0" in released.output
