"""Running wrk against one page and reading its figures."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.support.servers import Server, server_cpu_seconds

# wrk reports through this script: every status code it saw (wrk itself counts 3xx as
# success, and a redirect to /login must not pass for a page) and exact percentiles.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local seen = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      seen[code] = (seen[code] or 0) + count
    end
  end
  for code, count in pairs(seen) do
    io.write(string.format("BENCH status %d %d\n", code, count))
  end
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("BENCH p%d %d\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    not_ok: int  # responses other than 200
    socket_errors: int
    server_cpu_ms: float | None = None  # gunicorn + PostgreSQL CPU per request (noise-resistant)
    ratio: float | None = None
    cpu_ratio: float | None = None  # hello's server CPU per request / this page's
    signed_in_ratio: float | None = None  # req/s against the signed-in empty route's


def run_wrk(args, script: Path, port: int, path: str, cookie: str | None, seconds: float) -> dict:
    command = [
        "wrk", "--latency", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    figures: dict = {"statuses": {}, "output": completed.stdout}
    for line in completed.stdout.splitlines():
        parts = line.split()
        if not parts or parts[0] != "BENCH":
            continue
        if parts[1] == "status":
            figures["statuses"][int(parts[2])] = int(parts[3])
        else:
            figures[parts[1]] = int(parts[2])
    missing = {"p50", "p99", "requests", "duration_us"} - figures.keys()
    if missing:
        raise SystemExit(f"could not read wrk's report ({missing}):\n{completed.stdout}\n{completed.stderr}")
    return figures


def measure(args, script: Path, name: str, server: Server, path: str, cookie: str | None) -> Result:
    port = server.port
    if args.warmup > 0:
        run_wrk(args, script, port, path, cookie, args.warmup)
    cpu_before = server_cpu_seconds(server.process.pid, args.database)
    figures = run_wrk(args, script, port, path, cookie, args.duration)
    cpu_after = server_cpu_seconds(server.process.pid, args.database)
    ok = figures["statuses"].get(200, 0)
    requests = figures["requests"]
    result = Result(
        name=name,
        path=path,
        requests_per_second=requests / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50"] / 1000,
        p90_ms=figures.get("p90", 0) / 1000,
        p99_ms=figures["p99"] / 1000,
        requests=requests,
        not_ok=requests - ok,
        socket_errors=figures.get("socket_errors", 0),
    )
    if cpu_before is not None and cpu_after is not None and requests:
        result.server_cpu_ms = (cpu_after - cpu_before) / requests * 1000
    cpu = f", server CPU {result.server_cpu_ms:.2f} ms/req" if result.server_cpu_ms is not None else ""
    print(f"  {name:<12} {result.requests_per_second:8,.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
          f"p99 {result.p99_ms:6.1f} ms  ({requests:,} requests, statuses {figures['statuses']}{cpu})")
    if result.socket_errors:
        print(f"  warning: {result.socket_errors:,} socket errors or timeouts during {name}")
    if result.not_ok or ok == 0:
        raise SystemExit(f"{name}: {result.not_ok:,} of {requests:,} responses were not 200 "
                         f"({figures['statuses']}); the figures would be meaningless")
    return result
