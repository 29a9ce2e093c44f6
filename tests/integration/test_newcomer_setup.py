"""Setting up as a newcomer does (issue 11): the demo logins in one short block naming the
addresses ``make run`` serves on (HOST/PORT), every login, how to get a staff member's code
and where development SMS codes are read; an install setuptools has nothing to warn about."""
from __future__ import annotations

import configparser
import fnmatch
from pathlib import Path

from click.testing import CliRunner

from portal.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_the_seed_ends_with_a_short_block_of_everything_needed_to_sign_in(tmp_path, monkeypatch):
    for name, value in {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_ARGON2_TIME_COST": "1", "PORTAL_ARGON2_MEMORY_KIB": "8192",
                        "PORTAL_ARGON2_PARALLELISM": "1", "HOST": "127.0.0.1", "PORT": "8101"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PORTAL_PUBLIC_URL", raising=False)
    assert CliRunner().invoke(main, ["db", "upgrade"], catch_exceptions=False).exit_code == 0
    output = CliRunner().invoke(main, ["seed", "--demo"], catch_exceptions=False).output
    lines = output.rstrip().splitlines()
    assert len(lines) <= 20 and lines[-1].startswith("---")  # short, and the block is the last thing
    block = "\n".join(lines[lines.index("-" * 78):])
    assert "Portal   http://127.0.0.1:8101/" in block and "Console  http://127.0.0.1:8101/console" in block
    assert "demo@example.com" in block and "demo2@example.com" in block and "password demo-password-1" in block
    for email, role in (("clerk@example.com", "clerk"), ("supervisor@example.com", "supervisor"),
                        ("underwriter@example.com", "underwriter"), ("adjuster@example.com", "adjuster")):
        assert any(line.split()[:2] == [email, role] and "TOTP secret" in line for line in lines), email
    assert "portal user totp-code EMAIL" in block
    assert "http://127.0.0.1:8101/dev/inbox" in block and "outbox" not in block  # its files are sealed: not for reading


def test_every_data_file_is_listed_so_setuptools_needs_no_package_discovery_warnings():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    assert config["options"]["include_package_data"] == "False"
    patterns = {package: [p.strip() for p in globs.split(",")] for package, globs in config["options.package_data"].items()}
    unlisted = []
    for package, globs in patterns.items():
        for path in (REPO / package).rglob("*"):
            relative = path.relative_to(REPO / package).as_posix()
            if (path.is_dir() or path.suffix in (".py", ".pyc", ".pot", ".cfg") or "__pycache__" in relative
                    or relative.startswith("migrations/versions/")):
                continue
            if not any(fnmatch.fnmatch(relative, glob) and relative.count("/") == glob.count("/") for glob in globs):
                unlisted.append(f"{package}/{relative}")
    assert unlisted == []  # a new template or data folder needs its glob in setup.cfg
