"""The benchmark's data: the database ``portal_bench`` created afresh, migrated, bulk-loaded
(timed) and given the demo cast - or, with --reuse, the data of an earlier run."""
from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path

from bench.support.servers import server_environment


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def database_state(server: str, name: str) -> int | None:
    """How many policies the database holds, or None if it does not exist / is not migrated."""
    import psycopg

    try:
        with psycopg.connect(database_url(server, name), connect_timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM policies").fetchone()[0]
    except psycopg.Error:
        return None


def recreate_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare_data(args, data_dir: Path, url: str) -> dict:
    """Fresh database, migrated, bulk-loaded (timed) and with the demo cast; or, with
    --reuse, the data of an earlier run if it is there. Returns what happened."""
    marker = data_dir / "bench-data.json"
    if args.reuse:
        count = database_state(args.server, args.database)
        if count is not None and count >= args.policies and marker.exists() and (data_dir / "keys").exists():
            info = json.loads(marker.read_text())
            print(f"Reusing database {args.database}: {count:,} policies (seeded on {info.get('date')} "
                  f"in {info.get('seed_seconds', 0):.1f} s).")
            info["reused"] = True
            return info
        print(f"--reuse: no usable data in {args.database} (or its key ring is gone); loading afresh.")

    from portal.config import Settings
    from portal.demo.bulk import bulk_seed
    from portal.demo.seed import seed_demo
    from portal.migrate import upgrade
    from portal.wiring import build_engine, build_platform

    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    print(f"Creating database {args.database} and migrating it ...")
    recreate_database(args.server, args.database)
    settings = Settings.from_env(server_environment(url, data_dir, args))
    engine = build_engine(settings)
    try:
        upgrade(engine)
        platform = build_platform(settings, engine=engine)
        print(f"Seeding {args.policies:,} policies ...")
        started = time.perf_counter()
        report = bulk_seed(platform, engine, policies=args.policies, customers=None, progress=print)
        seed_seconds = time.perf_counter() - started
        print(report.summary())
        print(f"Seeding took {seed_seconds:.1f} s.")
        seed_demo(platform)
        print("Demo cast loaded.")
    finally:
        engine.dispose()
    info = {
        "date": date.today().isoformat(),
        "policies": report.policies,
        "customers": report.customers,
        "beneficiaries": report.beneficiaries,
        "premiums": report.premiums,
        "seed_seconds": round(seed_seconds, 1),
        "phases": {k: round(v, 1) for k, v in report.phases.items()},
        "reused": False,
    }
    marker.write_text(json.dumps(info, indent=2))
    return info
