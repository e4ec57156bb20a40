"""Load on one page: the load generators (wrk when installed, else a built-in asyncio one), `measure` (one
window with its CPU and connection spread) and `sequential_latency` (one request at a time).

Closed loop: each connection sends its next request when the previous answer arrived. Method and why:
bench/README.md ("What it measures").
"""

from __future__ import annotations

import asyncio
import functools
import gc
import http.client
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.cpu import Window
from harness.frame import BenchError, log
from harness.results import percentile


def choose_loadgen() -> tuple[str, str]:
    """The load generator (BENCH_LOADGEN=auto|wrk|python, default auto: wrk when installed) and a note on it."""
    choice = os.environ.get("BENCH_LOADGEN", "auto").lower()
    have_wrk = shutil.which("wrk") is not None
    if choice == "wrk" and not have_wrk:
        raise BenchError("BENCH_LOADGEN=wrk but wrk is not installed (Debian: apt-get install wrk)")
    if choice == "wrk" or (choice == "auto" and have_wrk):
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
        return (
            "wrk",
            f"`{(version or ['wrk'])[0].strip()}`, 2 threads, latency percentiles from its per-request histogram",
        )
    return "python", (
        "the built-in asyncio generator (wrk is not installed; raw HTTP/1.1 keep-alive sockets, one process, "
        "per-request `perf_counter` timings, percentiles by nearest rank); it shares the 2 cores with the server"
    )


@dataclass
class LoadResult:
    label: str
    path: str
    tool: str
    connections: int
    duration_s: float
    requests: int
    errors: int
    error_detail: dict
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    bytes_per_response: float
    cpu: dict = field(default_factory=dict)  # % of one core per consumer (see CpuMeter)
    connections_per_worker: list = field(default_factory=list)  # sampled halfway through the window
    statuses: dict = field(default_factory=dict)


class _Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self.bytes = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Read one HTTP/1.1 response: (status, body bytes, server keeps the connection open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            keep_alive = False
    size = 0
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            chunk = int(size_line.split(b";")[0], 16)
            if chunk == 0:
                await reader.readuntil(b"\r\n")
                break
            await reader.readexactly(chunk + 2)
            size += chunk
    elif length is not None:
        await reader.readexactly(length)
        size = length
    else:
        size = len(await reader.read())
        keep_alive = False
    return status, size + len(head), keep_alive


async def _connection_loop(port: int, request: bytes, deadline: float, stats: _Stats) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            started = time.perf_counter()
            writer.write(request)
            status, size, keep_alive = await asyncio.wait_for(_read_response(reader), 10)
            elapsed = time.perf_counter() - started
            stats.latencies.append(elapsed)
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            stats.bytes += size
            if not 200 <= status < 400:
                stats.error(f"status {status}")
            if not keep_alive:
                writer.close()
                writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            stats.error(type(error).__name__)
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def _python_load(port: int, request: bytes, duration: float, connections: int) -> tuple[_Stats, float]:
    stats = _Stats()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(_connection_loop(port, request, deadline, stats) for _ in range(connections)))
    return stats, time.perf_counter() - started


def python_load(port: int, path: str, headers: dict[str, str], duration: float, connections: int):
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    gc.disable()  # no collector pauses inside the timings
    try:
        stats, elapsed = asyncio.run(_python_load(port, request, duration, connections))
    finally:
        gc.enable()
    return stats, elapsed


WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_WRK {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"connect\":%d,\"read\":%d," ..
    "\"write\":%d,\"status\":%d,\"timeout\":%d,\"p50_us\":%d,\"p95_us\":%d,\"p99_us\":%d," ..
    "\"max_us\":%d,\"mean_us\":%.1f}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def wrk_load(
    port: int, path: str, headers: dict[str, str], duration: float, connections: int, *, out_dir: Path
) -> dict:
    script = out_dir / "wrk_report.lua"
    script.write_text(WRK_LUA)
    args = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{max(1, round(duration))}s", "--timeout", "10s",
            "-s", str(script)]  # fmt: skip
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://127.0.0.1:{port}{path}")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=duration + 30)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed: {proc.stderr or proc.stdout}")
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_WRK "):
            return json.loads(line.split(" ", 1)[1])
    raise BenchError(f"wrk printed no report:\n{proc.stdout}")


def measure(stack, label: str, port: int, server_pid: int, path: str, headers: dict[str, str], tool: str,
            duration: float, warmup: float, connections: int) -> LoadResult:  # fmt: skip
    """One load window: `connections` closed-loop keep-alive connections on `path` for `duration` s after a
    `warmup` (discarded), with the CPU per consumer and the connections per worker (harness.cpu.Window).
    `stack` (harness.stack.Stack) names the bench database (its PostgreSQL backends count) and log folder."""
    log(f"{label}: warm-up {warmup:.0f} s, then {duration:.0f} s at {connections} connections ({tool}) {path}")
    run = functools.partial(wrk_load, out_dir=stack.out_dir) if tool == "wrk" else python_load
    if warmup > 0:
        run(port, path, headers, warmup, connections)
    with Window(server_pid, port, stack.db_name, duration) as window:
        if tool == "wrk":
            report = run(port, path, headers, duration, connections)
            elapsed = report["duration_us"] / 1e6
            errors = {k: report[k] for k in ("connect", "read", "write", "status", "timeout") if report[k]}
            requests = report["requests"]
            p50, p95, p99 = (report[k] / 1000 for k in ("p50_us", "p95_us", "p99_us"))
            max_ms, mean_ms = report["max_us"] / 1000, report["mean_us"] / 1000
            bytes_per = report["bytes"] / requests if requests else 0
            statuses: dict = {}
        else:
            stats, elapsed = python_load(port, path, headers, duration, connections)
            latencies = sorted(stats.latencies)
            errors = dict(stats.errors)
            requests = len(latencies)
            p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (0.50, 0.95, 0.99))
            max_ms = latencies[-1] * 1000 if latencies else float("nan")
            mean_ms = sum(latencies) / len(latencies) * 1000 if latencies else float("nan")
            bytes_per = stats.bytes / requests if requests else 0
            statuses = {str(k): v for k, v in sorted(stats.statuses.items())}
    cpu, spread = window.cpu, window.spread
    result = LoadResult(
        label=label,
        path=path,
        tool=tool,
        connections=connections,
        duration_s=round(elapsed, 2),
        requests=requests,
        errors=sum(errors.values()),
        error_detail=errors,
        rps=round(requests / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(p50, 2),
        p95_ms=round(p95, 2),
        p99_ms=round(p99, 2),
        max_ms=round(max_ms, 2),
        mean_ms=round(mean_ms, 2),
        bytes_per_response=round(bytes_per),
        cpu=cpu,
        connections_per_worker=spread,
        statuses=statuses,
    )
    log(
        f"{label}: {result.rps} req/s, p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, errors {result.errors}; "
        f"CPU % of a core: gunicorn {cpu['gunicorn']}, PostgreSQL {cpu['postgresql']}, Redis {cpu['redis']}, "
        f"load generator {cpu['loadgen']}, rest {cpu['rest']} ({cpu['top_others'] or 'nothing notable'}); "
        f"connections per worker {spread}"
    )
    return result


def sequential_latency(port: int, path: str, headers: dict[str, str], count: int = 200) -> dict:
    """One keep-alive connection, one request at a time: service time without queueing."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    timings = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            timings.append(time.perf_counter() - started)
            if response.status != 200:
                raise BenchError(f"{path} answered {response.status} with headers {headers}")
    finally:
        conn.close()
    timings.sort()
    return {
        "requests": count,
        "p50_ms": round(percentile(timings, 0.5) * 1000, 2),
        "p95_ms": round(percentile(timings, 0.95) * 1000, 2),
        "mean_ms": round(sum(timings) / count * 1000, 2),
    }
