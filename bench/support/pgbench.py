"""pgbench's TPC-B-like read-write figure on a scratch database of the same server, as the
yardstick of what this machine's PostgreSQL commits per second."""
from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlparse

SCRATCH = "portal_bench_pgbench"
INSTALL_HINT = ("pgbench was not found. It ships with PostgreSQL's client programs: "
                "sudo apt-get install postgresql-client (Debian/Ubuntu), or use the one in /usr/lib/postgresql/*/bin.")


def _connection_args(server: str) -> list[str]:
    parsed = urlparse(server)
    return ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]


def find_pgbench() -> str:
    found = shutil.which("pgbench")
    if found is None:
        raise SystemExit(INSTALL_HINT)
    return found


def initialise(server: str, scale: int, scratch: str = SCRATCH) -> None:
    """``scratch``: the database made for it (one per benchmark's database, so that two
    benchmarks run at once on a shared machine do not drop each other's)."""
    from bench.support.cycle_data import admin

    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    subprocess.run([find_pgbench(), "-i", "-q", "-s", str(scale), *_connection_args(server), scratch],
                   check=True, capture_output=True, text=True)


def read_write_tps(server: str, clients: int, threads: int, seconds: int, scratch: str = SCRATCH) -> float:
    """``pgbench -c <clients> -j <threads> -T <seconds>``: the default TPC-B-like script."""
    result = subprocess.run([find_pgbench(), "-c", str(clients), "-j", str(threads), "-T", str(seconds),
                             *_connection_args(server), scratch], check=True, capture_output=True, text=True)
    match = re.search(r"tps = ([\d.]+)", result.stdout)
    if match is None:
        raise RuntimeError(f"no tps in pgbench's output:\n{result.stdout}\n{result.stderr}")
    return float(match.group(1))


def drop(server: str, scratch: str = SCRATCH) -> None:
    from bench.support.cycle_data import admin

    with admin(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
