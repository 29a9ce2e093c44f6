"""Migration 0025 on a database from before it: a notice the new checks would refuse (a policy
named without its event) stops the upgrade with a message that says what to mend, and leaves the
database as it was; without such a notice it goes through."""
from __future__ import annotations

import sqlite3

from tests.integration.test_cli import CUSTOMER_BEFORE_THE_MIGRATION, run  # noqa: F401  (the fixture)

_NOTICE = ("INSERT INTO notices (id, code, customer_id, policy_id, event_id, notice_type, locale, issued_on, canonical, "
           "signature, key_id, created_at) VALUES (1, 'N1', 1, 7, NULL, 'lapsed', 'zh', '2026-12-01', x'00', 's', 'k', "
           "'2026-12-01 00:00:00.000000')")


def test_a_notice_with_a_policy_and_no_event_stops_the_upgrade_with_a_clear_message(run, tmp_path):  # noqa: F811
    assert run("db", "upgrade", "--revision", "0024").exit_code == 0
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    db.execute(CUSTOMER_BEFORE_THE_MIGRATION)
    db.execute(_NOTICE)
    db.commit()
    db.close()
    stopped = run("db", "upgrade")
    assert stopped.exit_code == 1 and "Traceback" not in stopped.output
    assert "migration 0025: 1 notices name only one of event and policy" in stopped.output
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0024",)]
    db.execute("UPDATE notices SET policy_id = NULL")
    db.commit()
    db.close()
    assert run("db", "upgrade").exit_code == 0
