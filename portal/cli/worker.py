"""``portal worker``: runs the after-commit jobs (mail, SMS, refunds, notices) and, between
them, the periodic tasks (held payouts, sweeps). SIGTERM (a deployment, ``docker stop``) lets
the job in hand finish, returns one not yet started, and exits 0."""
from __future__ import annotations

import signal

import click

from portal import json_logs
from portal.cli.context import CliContext, pass_context
from portal.jobs_wiring import build_worker


@click.command()
@click.option("--once", is_flag=True, help="Run the jobs ready now, then exit (no periodic tasks).")
@click.option("--metrics-port", type=int, default=None, envvar="PORTAL_WORKER_METRICS_PORT",
              help="Serve this worker's Prometheus metrics on this port.")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Jobs run side by side (default PORTAL_WORKER_THREADS, else 4; 1 on SQLite).")
@pass_context
def worker(ctx: CliContext, once: bool, metrics_port: int | None, threads: int | None) -> None:
    """Process jobs until stopped (SIGTERM or Ctrl+C)."""
    settings = ctx.settings
    if (settings.extra.get("PORTAL_LOG_FORMAT") or ("text" if settings.env == "development" else "json")) == "json":
        json_logs.configure(settings.extra.get("PORTAL_LOG_LEVEL") or "info")
    runner = build_worker(settings, ctx.platform, periodic=not once, threads=1 if once else threads)
    if once:
        click.echo(f"Ran {runner.run_until_empty()} job(s).")
        return
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="0.0.0.0" if settings.production else "127.0.0.1")
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: runner.stop())
    click.echo("Worker started; SIGTERM stops it after the job in hand.", err=True)
    runner.run()
    click.echo("Worker stopped.", err=True)
