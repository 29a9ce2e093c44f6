"""The servers under test: gunicorn masters with their workers, each in its own process
group, and the CPU they (and their PostgreSQL backends) use."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.support import BENCH_DIR, ROOT
from bench.support.session import http_request


def server_environment(url: str, data_dir: Path, args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=url,
        PORTAL_DATA_DIR=str(data_dir),
        PORTAL_RATELIMIT_STORAGE=args.ratelimit,
        PORTAL_ENV="development",
    )
    return env


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free port, from ``BENCH_PORTS`` ("8240-8249") when set: on a shared machine each
    engineer's servers keep to their own ports."""
    first, _, last = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        if port in _HANDED_OUT:  # to a server of this run that may not be listening yet
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = s.getsockname()[1]
            _HANDED_OUT.add(port)
            return port
    raise SystemExit(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def server_cpu_seconds(master: int, database: str) -> float | None:
    """CPU used so far by a gunicorn master, its workers and the PostgreSQL backends of
    ``database`` (Linux /proc; None elsewhere). Other load on a shared machine does not
    count, which makes CPU per request steadier than requests per second."""
    if not Path("/proc/self/stat").exists():
        return None
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            if pid == master:
                ticks += _cpu_ticks(pid)
                continue
            with open(entry / "stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            if parent == master:
                ticks += _cpu_ticks(pid)
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            if command.startswith("postgres: ") and f" {database} " in command:
                ticks += _cpu_ticks(pid)
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """CPU used so far by one process (Linux /proc; 0 elsewhere)."""
    try:
        return _cpu_ticks(pid) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class JobWorker:
    """``portal worker`` beside the server, as deployed: it delivers what the requests queued
    (the SMS codes, the notices) once their transactions commit. Its own process group."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.log_path = log_dir / "worker.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([str(Path(sys.executable).with_name("portal")), "worker"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # it finishes the job in hand
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class Server:
    """One gunicorn master with its workers, in its own process group."""

    def __init__(self, name: str, app: str, env: dict[str, str], args, log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_dir / f"{name}.log"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn if gunicorn.exists() else "gunicorn"),
            "--config", "python:portal.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}",
            "--worker-class", args.worker_class,
            "--workers", str(args.workers),
            "--threads", str(args.threads),
            "--pythonpath", f"{ROOT},{BENCH_DIR}",
            app,
        ]
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name}: gunicorn exited ({self.process.returncode}); see {self.log_path}:\n"
                                 + self.log_path.read_text(errors="replace")[-3000:])
            try:
                status, _headers, _body = http_request(self.port, "GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name}: not answering on port {self.port} after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the master and its workers
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
