"""Oefenplein benchmark: `make bench` runs this file with the project's virtualenv Python.

It builds a clean, production-like stack on this machine only (PostgreSQL database
`oefenplein_bench`, Redis db 2, gunicorn with 2 workers, static files collected and served by
WhiteNoise), loads the demo content, then measures:

  * throughput and latency of a Dutch text lesson and of the Dutch catalogue, 10 keep-alive
    connections for a fixed time after a warm-up (wrk when installed, else a built-in asyncio
    load generator; BENCH_LOADGEN=wrk|python forces one);
  * the same lesson with the anonymous page cache bypassed (a session cookie), and the unloaded
    latency of one connection, to show what the cache buys;
  * the bytes a browser transfers for the lesson's first load: a standard-library crawl of the
    HTML and every subresource it references, and, when /usr/bin/chromium exists, a real
    headless Chromium load summed from the DevTools protocol;
  * last, the learning records (bench/progress_bench.py): statement ingest by 10 signed-in learners,
    and the "My learning" page of a learner with records in 50 modules x 10 lessons.

It writes its own sections of bench/RESULTS.md, "Machine" to "Timings of this run" (through
bench/common.py: the other scripts' sections, and the file's title and introduction once there, stay
as they are), raw data plus logs under bench/out/ (which git ignores), and always stops the gunicorn
it started. Method: bench/README.md. Knobs (environment): BENCH_DURATION (s, 20), BENCH_WARMUP (s, 3),
BENCH_CONNECTIONS (10), BENCH_LOADGEN (auto|wrk|python), BENCH_GUNICORN_EXTRA (more gunicorn options,
to try a change), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_DB_NAME (oefenplein_bench),
BENCH_REDIS_URL (redis://127.0.0.1:6379/2), BENCH_PORT_RANGE (e.g. 8100-8199; default any free port).
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import html.parser
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import common  # bench/common.py: results sections, Chromium byte recorder, run frame, step runner
import progress_bench  # bench/progress_bench.py: statement ingest and "My learning" (same stack, same run)
import signed_in_bench  # bench/signed_in_bench.py: signed-in pages against a bare `wagtail start` page
from common import BenchError, log, percentile  # noqa: F401 — also used by the other scripts as bench.<name>

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
OUT_DIR = BENCH_DIR / "out"  # logs and raw data; ignored by git
RESULTS_MD = BENCH_DIR / "RESULTS.md"
STATIC_ROOT = ROOT / "var" / "bench-static"
MEDIA_ROOT = ROOT / "var" / "bench-media"
VENV_BIN = Path(sys.executable).parent
GUNICORN = VENV_BIN / "gunicorn"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = os.environ.get("BENCH_DB_NAME", "oefenplein_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
SECRET_KEY = "oefenplein-bench-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"

DURATION = float(os.environ.get("BENCH_DURATION", "20"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
LOADGEN = os.environ.get("BENCH_LOADGEN", "auto").lower()
BYPASS_DURATION = min(DURATION, 8.0)  # the cache-bypass diagnostic is shorter: it only explains

WORKERS = 2
WORKER_CLASS = "gthread"
THREADS = 4
KEEP_ALIVE = 5
GUNICORN_ARGS = [
    "learn.wsgi:application",
    "--workers", str(WORKERS),
    "--worker-class", WORKER_CLASS,
    "--threads", str(THREADS),
    "--keep-alive", str(KEEP_ALIVE),
    "--worker-tmp-dir", "/dev/shm",
    "--no-control-socket",
    "--log-level", "warning",
    "--error-logfile", "-",
]  # fmt: skip

TARGET_RPS = 300
TARGET_P95_MS = 50
TARGET_KB = 60
NOISY_REST_PCT = 20  # CPU (% of a core) used by others and the kernel in a window before the report warns

# What a browser sends for a page load; the page cache varies on Accept-Encoding and Cookie.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) OefenpleinBench/1.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl-BE,nl;q=0.9",
    "Accept-Encoding": "gzip, br",
}
BYPASS_COOKIE = "sessionid=bench-cache-bypass"  # any session cookie makes the page cache step aside

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# --- Environment and setup -----------------------------------------------------------------------


def bench_env() -> dict[str, str]:
    """The environment of every subprocess: this machine's services, production-like settings."""
    drop_prefixes = ("DJANGO_", "DATABASE_", "STATIC_", "CELERY_")
    drop = {"REDIS_URL", "PAGE_CACHE_SECONDS", "CACHE_KEY_PREFIX", "SERVE_MEDIA", "MEDIA_ROOT",
            "OEFENPLEIN_VAR_DIR", "LOG_LEVEL", "WAGTAILADMIN_BASE_URL"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith(drop_prefixes)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "learn.settings",
            "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Production's static setup (hashed names, compressed copies) without DJANGO_ENV=production,
            # which would redirect plain HTTP to HTTPS.
            "STATIC_ROOT": str(STATIC_ROOT),
            "STATIC_MANIFEST": "true",
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "OEFENPLEIN_VAR_DIR": str(ROOT / "var" / "bench"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # 10 bench learners stand for a whole site's load: the per-learner rate limit is off.
            "PROGRESS_RATE_BATCHES": "0",
            "PROGRESS_RATE_STATEMENTS": "0",
        }
    )
    return env


def run_step(name: str, args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    started = time.perf_counter()
    log_path = OUT_DIR / f"{name}.log"
    proc = common.run_logged(args, env, log_path, timeout)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise BenchError(f"{name} failed (exit {proc.returncode}); log {log_path}\n{tail}")
    log(f"{name}: ok in {time.perf_counter() - started:.1f} s")
    return proc.stdout


def reset_database() -> None:
    common.reset_database(PG_URL, DB_NAME)
    log(f"PostgreSQL database {DB_NAME}: dropped and created")


def reset_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    client.flushdb()
    client.close()
    log(f"Redis {REDIS_URL}: flushed")


def page_cache_entries() -> int:
    """How many whole-page responses the anonymous page cache holds in Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        return sum(1 for _ in client.scan_iter(match="*cache_page*", count=1000))
    finally:
        client.close()


FIND_TARGETS = r"""
import json
from wagtail.models import Locale
from lessons.models import LessonPage, ModuleIndexPage
nl = Locale.objects.get(language_code="nl")
lessons = list(LessonPage.objects.live().filter(locale=nl).order_by("path"))
def media_blocks(page):
    return sum(1 for block in page.body if block.block_type in ("figure", "video"))
text_lessons = [page for page in lessons if media_blocks(page) == 0]
lesson = (text_lessons or sorted(lessons, key=media_blocks))[0]
catalogue = ModuleIndexPage.objects.live().filter(locale=nl).first()
print("BENCH_TARGETS=" + json.dumps({
    "lesson_url": lesson.get_url(), "lesson_title": lesson.title,
    "lesson_blocks": [block.block_type for block in lesson.body],
    "lesson_is_text_only": media_blocks(lesson) == 0,
    "lessons_nl": len(lessons), "text_lessons_nl": len(text_lessons),
    "catalogue_url": catalogue.get_url(), "catalogue_title": catalogue.title,
}))
"""


def find_targets(env: dict[str, str]) -> dict:
    out = run_step("find-targets", [sys.executable, "manage.py", "shell", "-c", FIND_TARGETS], env)
    for line in out.splitlines():
        if line.startswith("BENCH_TARGETS="):
            return json.loads(line.split("=", 1)[1])
    raise BenchError("could not find the lesson and catalogue URLs")


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    """A free port: any, or the first free one of BENCH_PORT_RANGE ("8100-8199") on a shared machine."""
    first, _, last = os.environ.get("BENCH_PORT_RANGE", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise BenchError(f"no free port in BENCH_PORT_RANGE {os.environ['BENCH_PORT_RANGE']}")


def start_gunicorn(env: dict[str, str], port: int, log_file) -> subprocess.Popen:
    extra = os.environ.get("BENCH_GUNICORN_EXTRA", "").split()  # e.g. "--reuse-port", to try a change
    args = [str(GUNICORN), *GUNICORN_ARGS, *extra, "--bind", f"127.0.0.1:{port}"]
    (OUT_DIR / "gunicorn.cmd").write_text(" ".join(args) + "\n")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass
    log("gunicorn stopped")


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited with {proc.returncode}; see {OUT_DIR / 'gunicorn.log'}")
        try:
            status, _headers, body = http_get(port, "/healthz", {}, timeout=5)
            if status == 200:
                return json.loads(body)
            last = f"HTTP {status}: {body[:200]!r}"
        except OSError as error:
            last = repr(error)
        time.sleep(0.25)
    raise BenchError(f"/healthz did not answer 200 within {timeout:.0f} s ({last})")


# --- The production-like stack of a run (this file's and the other scripts') --------------------------


def temp_stack_env(cleanup, prefix: str) -> tuple[dict[str, str], Path]:
    """bench_env() with static and media files in a temp dir of this run, removed when the run ends."""
    temp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)))
    return {**bench_env(), "STATIC_ROOT": str(temp / "static"), "MEDIA_ROOT": str(temp / "media")}, temp


def setup_stack(env: dict[str, str]) -> None:
    """Database and Redis db made anew, empty static and media dirs, migrate, collectstatic, demo content."""
    reset_database()
    reset_redis()
    for directory in (Path(env["STATIC_ROOT"]), Path(env["MEDIA_ROOT"])):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    run_step("migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    run_step("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    run_step("load_demo", [sys.executable, "manage.py", "load_demo", "--no-users"], env)


def start_server(env: dict[str, str], port: int, cleanup) -> tuple[subprocess.Popen, dict]:
    """gunicorn on 127.0.0.1:port once /healthz answers 200; stopped when the run ends, whatever happens.

    Returns the process and the /healthz answer. Its output goes to OUT_DIR/gunicorn.log.
    """
    log_file = cleanup.enter_context((OUT_DIR / "gunicorn.log").open("w"))
    server = start_gunicorn(env, port, log_file)
    cleanup.callback(stop_gunicorn, server)
    health = wait_healthy(server, port)
    log(f"gunicorn pid {server.pid} on 127.0.0.1:{port}: /healthz {health['status']}")
    return server, health


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn once the measurements are done; if it died during them, the figures do not count."""
    if server.poll() is not None:
        raise BenchError(f"gunicorn died during the run; see {OUT_DIR / 'gunicorn.log'}")
    stop_gunicorn(server)


def process_cpu() -> dict[int, tuple[str, int, float, str]]:
    """Every live process: pid -> (command name, parent pid, CPU seconds used so far, start time)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = (comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, fields[19])
    return table


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, summed over cores, from /proc/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / tick, total / tick


def connections_per_worker(server_pid: int, port: int) -> dict[int, int]:
    """Established client connections each gunicorn worker holds on the port (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "01" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # ESTABLISHED, server side
                inodes.add(cols[9])
    counts = {}
    for pid, (_comm, ppid, _cpu, _start) in process_cpu().items():
        if ppid != server_pid:
            continue
        held = 0
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    held += 1
        except OSError:
            continue
        counts[pid] = held
    return counts


class CpuMeter:
    """Who used the CPU during a window: gunicorn, PostgreSQL, Redis, the load generator, the rest.

    The rest is the machine's busy time minus those four: other processes (another user's test run,
    say) and kernel work not charged to a process. The load generator is this process (asyncio) or
    its wrk child, so it is read from getrusage.
    """

    def __init__(self, server_pid: int | None):
        self.server_pid = server_pid

    def _category(self, pid: int, comm: str, ppid: int) -> str | None:
        if self.server_pid and (pid == self.server_pid or ppid == self.server_pid):
            return "gunicorn"
        if comm.startswith("postgres"):
            # Backends are titled "postgres: [cluster:] user database host(port) state": count only ours, and the
            # server's own processes (checkpointer, WAL writer...); other databases' backends are "other".
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                title = ""
            if re.search(r"\(\d+\)|\[local\]", title) and f" {DB_NAME} " not in title:
                return "other"
            return "postgresql"
        if comm.startswith("redis-server"):
            return "redis"
        if pid == os.getpid() or ppid == os.getpid():
            return None  # the load generator, counted through getrusage
        return "other"

    def start(self) -> None:
        self.wall = time.perf_counter()
        self.procs = process_cpu()
        self.machine = machine_cpu()
        self.self_usage = resource.getrusage(resource.RUSAGE_SELF)
        self.child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)

    def stop(self) -> dict:
        wall = time.perf_counter() - self.wall
        procs = process_cpu()
        busy, total = machine_cpu()
        self_usage = resource.getrusage(resource.RUSAGE_SELF)
        child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {"gunicorn": 0.0, "postgresql": 0.0, "redis": 0.0, "other": 0.0}
        others: dict[str, float] = {}
        for pid, (comm, ppid, cpu, start) in procs.items():
            category = self._category(pid, comm, ppid)
            if category is None:
                continue
            before = self.procs.get(pid)
            # Same pid and start time: the same process (kernel workers rename themselves as they go).
            delta = cpu - (before[2] if before and before[3] == start else 0.0)
            if category == "other":
                comm = comm.split("-", 1)[0] if comm.startswith("kworker") else comm
            used[category] += delta
            if category == "other" and delta > 0:
                others[comm] = others.get(comm, 0.0) + delta
        loadgen = sum(
            getattr(after, attr) - getattr(before, attr)
            for after, before in ((self_usage, self.self_usage), (child_usage, self.child_usage))
            for attr in ("ru_utime", "ru_stime")
        )
        machine_busy = busy - self.machine[0]
        cores = (total - self.machine[1]) / wall if wall else 1
        rest = max(0.0, machine_busy - used["gunicorn"] - used["postgresql"] - used["redis"] - loadgen)

        def pct(seconds: float) -> float:
            return round(100 * seconds / wall, 1) if wall else 0.0

        top_others = sorted(others.items(), key=lambda item: -item[1])[:3]
        return {
            "gunicorn": pct(used["gunicorn"]),
            "postgresql": pct(used["postgresql"]),
            "redis": pct(used["redis"]),
            "loadgen": pct(loadgen),
            "rest": pct(rest),
            "machine": pct(machine_busy),
            "machine_capacity": round(100 * cores),
            "top_others": ", ".join(f"{name} {pct(seconds):.0f}%" for name, seconds in top_others if pct(seconds) >= 1),
        }


# --- HTTP helpers --------------------------------------------------------------------------------


def http_get(port: int, path: str, headers: dict[str, str], timeout: float = 10):
    """GET over a fresh connection: (status, headers, raw body as received, still compressed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, response, body
    finally:
        conn.close()


def header_bytes(response: http.client.HTTPResponse) -> int:
    """Size of the status line and headers as sent on the wire (HTTP/1.1)."""
    size = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
    size += sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders())
    return size + 2


def decode_body(body: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "").lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli  # only when the server sent brotli, which needs the brotli package anyway

        return brotli.decompress(body)
    return body


# --- Load generators -----------------------------------------------------------------------------


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


def wrk_load(port: int, path: str, headers: dict[str, str], duration: float, connections: int) -> dict:
    script = OUT_DIR / "wrk_report.lua"
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


def measure(label: str, port: int, server_pid: int, path: str, headers: dict[str, str], tool: str,
            duration: float, warmup: float, connections: int) -> LoadResult:  # fmt: skip
    log(f"{label}: warm-up {warmup:.0f} s, then {duration:.0f} s at {connections} connections ({tool}) {path}")
    run = wrk_load if tool == "wrk" else python_load
    if warmup > 0:
        run(port, path, headers, warmup, connections)
    meter = CpuMeter(server_pid)
    spread: list[int] = []
    sampler = threading.Timer(
        duration / 2, lambda: spread.extend(sorted(connections_per_worker(server_pid, port).values(), reverse=True))
    )
    sampler.start()
    meter.start()
    if tool == "wrk":
        report = wrk_load(port, path, headers, duration, connections)
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
    cpu = meter.stop()
    sampler.cancel()
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


# --- Transfer size -------------------------------------------------------------------------------


class _AssetParser(html.parser.HTMLParser):
    """Every URL a browser would fetch on load, by kind."""

    LINK_KINDS = {"stylesheet": "stylesheet", "icon": "icon", "shortcut": "icon", "apple-touch-icon": "icon",
                  "manifest": "manifest", "preload": "preload", "modulepreload": "script"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets: list[tuple[str, str]] = []  # (kind, url)
        self.inline_styles = 0
        self.inline_scripts = 0
        self._in_video = False
        self._in_picture = False

    def _srcset(self, value: str | None, kind: str) -> None:
        for candidate in (value or "").split(","):
            url = candidate.strip().split(" ")[0]
            if url:
                self.assets.append((kind, url))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rels = (a.get("rel") or "").lower().split()
            for rel in rels:
                if rel in self.LINK_KINDS:
                    kind = self.LINK_KINDS[rel]
                    if kind == "preload":
                        kind = {"style": "stylesheet", "script": "script", "font": "font", "image": "image"}.get(
                            a.get("as", ""), "other"
                        )
                    self.assets.append((kind, a["href"]))
                    break
        elif tag == "script":
            if a.get("src"):
                self.assets.append(("script", a["src"]))
            else:
                self.inline_scripts += 1
        elif tag == "style":
            self.inline_styles += 1
        elif tag == "img":
            if a.get("src"):
                self.assets.append(("image", a["src"]))
            self._srcset(a.get("srcset"), "image")
        elif tag == "picture":
            self._in_picture = True
        elif tag == "video":
            self._in_video = True
            if a.get("poster"):
                self.assets.append(("image", a["poster"]))
            if a.get("src"):
                self.assets.append(("media", a["src"]))
        elif tag == "source":
            if self._in_video and a.get("src"):
                self.assets.append(("media", a["src"]))
            self._srcset(a.get("srcset"), "image")
        elif tag == "track" and a.get("src"):
            self.assets.append(("media", a["src"]))
        elif tag in ("iframe", "embed") and a.get("src"):
            self.assets.append(("other", a["src"]))

    def handle_endtag(self, tag):
        if tag == "video":
            self._in_video = False
        elif tag == "picture":
            self._in_picture = False


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
FONT_EXT = (".woff2", ".woff", ".ttf", ".otf", ".eot")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico")


def crawl_transfer(port: int, path: str) -> dict:
    """Fetch the page and every subresource it references, as a browser with an empty cache would."""
    origin = f"http://127.0.0.1:{port}"
    headers = dict(BROWSER_HEADERS)
    rows: list[dict] = []
    seen: set[str] = set()

    def fetch(kind: str, url: str) -> bytes | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != f"127.0.0.1:{port}":
            rows.append({"kind": kind, "url": url, "status": "external (not fetched)", "body": 0, "headers": 0})
            return None
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen:
            return None
        seen.add(local)
        fetch_headers = dict(headers)
        if kind != "document":
            fetch_headers["Accept"] = "*/*"
        status, response, body = http_get(port, local, fetch_headers)
        rows.append(
            {
                "kind": kind,
                "url": local,
                "status": status,
                "content_type": response.getheader("Content-Type", ""),
                "encoding": response.getheader("Content-Encoding", "identity"),
                "body": len(body),
                "content_length": response.getheader("Content-Length"),
                "headers": header_bytes(response),
                "cache_control": response.getheader("Cache-Control", ""),
            }
        )
        return decode_body(body, response.getheader("Content-Encoding"))

    page_url = urljoin(origin, path)
    document = fetch("document", page_url)
    if document is None:
        raise BenchError("the lesson page could not be fetched")
    parser = _AssetParser()
    parser.feed(document.decode("utf-8", "replace"))
    for kind, url in parser.assets:
        absolute = urljoin(page_url, url)
        content = fetch(kind, absolute)
        if kind == "stylesheet" and content is not None:
            for match in CSS_URL.finditer(content.decode("utf-8", "replace")):
                ref = match.group(1) or match.group(2)
                if ref.startswith("data:"):
                    continue
                ref_kind = (
                    "stylesheet" if match.group(2)
                    else "font" if ref.lower().split("?")[0].endswith(FONT_EXT)
                    else "image (css)" if ref.lower().split("?")[0].endswith(IMAGE_EXT)
                    else "other"
                )  # fmt: skip
                fetch(ref_kind, urljoin(absolute, ref))
    counted = [r for r in rows if isinstance(r["status"], int) and not r["kind"].startswith(("image", "media"))]
    excluded = [r for r in rows if r not in counted]
    return {
        "rows": rows,
        "counted_body_bytes": sum(r["body"] for r in counted),
        "counted_header_bytes": sum(r["headers"] for r in counted),
        "excluded_body_bytes": sum(r["body"] for r in excluded),
        "document_uncompressed_bytes": len(document),
        "inline_styles": parser.inline_styles,
        "inline_scripts": parser.inline_scripts,
    }


def chromium_transfer(port: int, path: str) -> dict:
    """Load the page in headless Chromium with an empty cache; sum encodedDataLength per response."""
    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} not found"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        return {"skipped": f"playwright not importable ({error})"}
    url = f"http://127.0.0.1:{port}{path}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            recorder = common.CdpRecorder(context, page)
            page.goto(url, wait_until="load", timeout=30_000)
            page.wait_for_load_state("networkidle", timeout=15_000)
            page.wait_for_timeout(300)
            version = browser.version
        finally:
            browser.close()
    rows = [
        {
            "type": r.get("type", "Other"),
            "url": r["url"].replace(f"http://127.0.0.1:{port}", ""),
            "status": r.get("status", r.get("failed", "?")),
            "encoding": r.get("encoding", ""),
            "encoded": r.get("encoded", 0),
        }
        for r in recorder.http()
    ]
    counted = [r for r in rows if r["type"] not in ("Image", "Media")]
    return {
        "browser": f"Chromium {version}",
        "accept_encoding": recorder.accept_encoding(""),
        "rows": rows,
        "counted_bytes": sum(r["encoded"] for r in counted),
        "excluded_bytes": sum(r["encoded"] for r in rows if r not in counted),
    }


# --- Machine facts and the report ----------------------------------------------------------------


def machine_facts(health: dict | None) -> dict:
    def first(pattern: str, text: str, default: str = "?") -> str:
        match = re.search(pattern, text, re.MULTILINE)
        return match.group(1).strip() if match else default

    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(first(r"^MemTotal:\s*(\d+)", meminfo, "0"))
    facts = {
        "date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": common.cpu_model(),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    try:
        facts["postgresql"] = common.postgres_version(f"{PG_URL}/{DB_NAME}")
    except Exception as error:  # noqa: BLE001
        facts["postgresql"] = f"? ({error.__class__.__name__})"
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        facts["redis"] = client.info("server")["redis_version"]
        client.close()
    except Exception as error:  # noqa: BLE001
        facts["redis"] = f"? ({error.__class__.__name__})"
    from importlib.metadata import version

    for package in ("Django", "wagtail", "gunicorn", "whitenoise", "django-redis", "psycopg"):
        try:
            facts[package] = version(package)
        except Exception:  # noqa: BLE001
            facts[package] = "?"
    try:
        version("brotli")
        facts["brotli"] = version("brotli")
    except Exception:  # noqa: BLE001
        facts["brotli"] = "not installed"
    facts["health"] = health
    return facts


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**MISSED**"


def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def cpu_row(label: str, c: dict) -> str:
    """One row of a "where the CPU went" table (see CpuMeter)."""
    rest = f"{c['rest']:.0f}%" + (f" ({c['top_others']})" if c["top_others"] else "")
    return (
        f"| {label} | {c['gunicorn']:.0f}% | {c['postgresql']:.0f}% | {c['redis']:.0f}% | "
        f"{c['loadgen']:.0f}% | {rest} | {c['machine']:.0f}% |"
    )


def write_results(data: dict) -> None:
    """This run's sections of RESULTS.md (the title and introduction only if the file has none yet)."""
    m = data["machine"]
    t = data["targets"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run.py) on {m['date']}. Method: [README.md](README.md). "
        "Raw data: `bench/out/results.json` (not committed).",
        "",
        "## Machine",
        "",
        f"- {m['nproc']} cores: {m['cpu']}; {m['memory']} memory; Linux {m['kernel']}",
        f"- Python {m['python']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}",
        f"- Django {m['Django']}, Wagtail {m['wagtail']}, gunicorn {m['gunicorn']}, WhiteNoise {m['whitenoise']}, "
        f"django-redis {m['django-redis']}, psycopg {m['psycopg']}, brotli {m['brotli']}",
        "- Server, database, cache and load generator all share these cores (loopback only).",
        "",
        "## Setup",
        "",
        f"- `{data['gunicorn_cmd']}`",
        f"  - {WORKERS} workers, `{WORKER_CLASS}` with {THREADS} threads each, keep-alive {KEEP_ALIVE} s: "
        "threads let a worker overlap the Redis/PostgreSQL round trips of one request with another's "
        "Python work, and keep-alive spares a TCP handshake per request, as behind a reverse proxy.",
        f"- PostgreSQL database `{DB_NAME}` (dropped and recreated), Redis `{REDIS_URL}` (flushed), migrate, "
        "`collectstatic` into `var/bench-static` with the manifest storage (STATIC_MANIFEST=true, as production), "
        "`load_demo --no-users`; DEBUG off, not DJANGO_ENV=production (it would redirect HTTP to HTTPS).",
        f"- Load: {data['loadgen_note']}; {CONNECTIONS} keep-alive connections, {WARMUP:.0f} s warm-up then "
        f"{DURATION:.0f} s measured; every request sends browser-like headers (`Accept-Encoding: gzip, br`, "
        "`Accept-Language: nl`), no cookie.",
        f"- Lesson: `{t['lesson_url']}` ({t['lesson_title']}; blocks: {', '.join(t['lesson_blocks'])}). "
        f"Catalogue: `{t['catalogue_url']}` ({t['catalogue_title']}).",
        "",
        "## Figures against the targets",
        "",
        "| measure | target | result | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lesson = data["load"]["lesson"]
    lines.append(
        f"| lesson page throughput | >= {TARGET_RPS} req/s | {lesson['rps']:.0f} req/s | "
        f"{verdict(lesson['rps'] >= TARGET_RPS and lesson['errors'] == 0)} |"
    )
    lines.append(
        f"| lesson page p95 latency | <= {TARGET_P95_MS} ms | {lesson['p95_ms']:.1f} ms (p50 {lesson['p50_ms']:.1f} ms) "
        f"| {verdict(lesson['p95_ms'] <= TARGET_P95_MS)} |"
    )
    lines.append(
        f"| lesson page errors | 0 | {lesson['errors']} of {lesson['requests']} | {verdict(lesson['errors'] == 0)} |"
    )
    crawl = data["transfer"]["crawl"]
    chromium = data["transfer"]["chromium"]
    lines.append(
        f"| text lesson first load, compressed, images excluded (HTML + subresource bodies) | <= {TARGET_KB} KB "
        f"| {kb(crawl['counted_body_bytes'])} ({kb(crawl['counted_body_bytes'] + crawl['counted_header_bytes'])} "
        f"with response headers) | {verdict(crawl['counted_body_bytes'] <= TARGET_KB * 1000)} |"
    )
    if "counted_bytes" in chromium:
        lines.append(
            f"| same, measured in {chromium['browser']} (encodedDataLength, includes response headers) "
            f"| <= {TARGET_KB} KB | {kb(chromium['counted_bytes'])} | "
            f"{verdict(chromium['counted_bytes'] <= TARGET_KB * 1000)} |"
        )
    lines += [
        "",
        "KB = 1000 bytes (the stricter reading; 60 KiB would be 61 440 bytes).",
        "",
        "## All load figures",
        "",
        "| page | tool | conn. | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | bytes/resp. "
        "| conn. per worker |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in data["load"].values():
        lines.append(
            f"| {result['label']} | {result['tool']} | {result['connections']} | {result['requests']} | "
            f"{result['rps']:.0f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} | "
            f"{result['max_ms']:.1f} | {result['errors']} | {result['bytes_per_response']} | "
            f"{' / '.join(map(str, result['connections_per_worker'])) or '?'} |"
        )
    lines += [
        "",
        "Bytes/resp. counts headers and body as received (compressed). Conn. per worker: how the open "
        "connections were spread over the gunicorn workers halfway through the window (each worker has "
        f"{THREADS} threads; a connection stays with the worker that accepted it). Where the CPU went during each "
        f"measured window, in % of one core ({m['nproc']} cores = {100 * int(m['nproc'])}%):",
        "",
        "| page | gunicorn | PostgreSQL | Redis | load generator | rest of the machine | machine busy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in data["load"].values():
        lines.append(cpu_row(result["label"], result["cpu"]))
    uneven = [
        f"{r['label']} ({' / '.join(map(str, r['connections_per_worker']))})"
        for r in data["load"].values()
        if len(r["connections_per_worker"]) == WORKERS
        and max(r["connections_per_worker"]) - min(r["connections_per_worker"]) > 2
    ]
    if uneven:
        lines += [
            "",
            f"**Uneven workers.** Connections were spread unevenly over the {WORKERS} workers during: "
            f"{', '.join(uneven)}. A gthread worker keeps every keep-alive connection it accepted, and the "
            "worker awake first often accepts most of a burst, so part of the time one worker (one core, one "
            "GIL) serves nearly all the load while the other idles: throughput then drops to about half. "
            "`--reuse-port` (gunicorn then opens one listening socket per worker and the kernel spreads new "
            "connections over them) avoids it; try it with `BENCH_GUNICORN_EXTRA=--reuse-port make bench`.",
        ]
    noisy = [r["label"] for r in data["load"].values() if r["cpu"]["rest"] > NOISY_REST_PCT]
    idle = data["idle_before"]
    idle_detail = f": {idle['top_others']}" if idle["top_others"] else ""
    lines += [
        "",
        f"Before the load tests, with nothing of the benchmark running, the machine was {idle['machine']:.0f}% "
        f"busy (of {100 * int(m['nproc'])}%){idle_detail}.",
    ]
    if noisy:
        lines += [
            "",
            f"**Warning: the machine was shared.** Other processes used more than {NOISY_REST_PCT}% of a core during: "
            f"{', '.join(noisy)}. Those figures understate what the site can do on a quiet machine; run again "
            "when nothing else runs.",
        ]
    lines += [
        "",
        "Unloaded latency, one keep-alive connection, one request at a time (what the page cache buys; "
        "a session cookie makes the cache step aside, as for a signed-in learner or the first visitor after "
        "a publish):",
        "",
        "| request | requests | p50 ms | p95 ms | mean ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, label in (
        ("lesson_cached", "lesson, anonymous (page cache)"),
        ("lesson_bypass", "lesson, session cookie (page cache bypassed)"),
        ("catalogue_cached", "catalogue, anonymous (page cache)"),
        ("catalogue_bypass", "catalogue, session cookie (page cache bypassed)"),
    ):
        s = data["sequential"][name]
        lines.append(f"| {label} | {s['requests']} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {s['mean_ms']:.2f} |")
    lines += [
        "",
        f"Page cache entries in Redis after the warm-up: {data['page_cache_entries']}.",
        "",
        "## Transfer of a text lesson's first load",
        "",
        f"Standard-library crawl (`Accept-Encoding: gzip, br`, HTML {kb(crawl['document_uncompressed_bytes'])} "
        "uncompressed; CSS `url()`/`@import` references followed):",
        "",
        "| kind | URL | status | encoding | body bytes (compressed) | header bytes | Cache-Control |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in crawl["rows"]:
        lines.append(
            f"| {row['kind']} | `{row['url']}` | {row['status']} | {row.get('encoding', '')} | {row['body']} | "
            f"{row['headers']} | {row.get('cache_control', '')} |"
        )
    lines += [
        "",
        f"Counted (images and media excluded): {crawl['counted_body_bytes']} body bytes + "
        f"{crawl['counted_header_bytes']} header bytes. Excluded images/media: {crawl['excluded_body_bytes']} bytes.",
        "",
    ]
    if "rows" in chromium:
        lines += [
            f"{chromium['browser']}, headless, empty cache (the browser sent `Accept-Encoding: "
            f"{chromium['accept_encoding']}`):",
            "",
            "| type | URL | status | encoding | encodedDataLength |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in chromium["rows"]:
            lines.append(f"| {row['type']} | `{row['url']}` | {row['status']} | {row['encoding']} | {row['encoded']} |")
        lines += [
            "",
            f"Counted (Image and Media excluded): {chromium['counted_bytes']} bytes; excluded: "
            f"{chromium['excluded_bytes']} bytes.",
            "",
        ]
    else:
        lines += [f"Chromium measurement skipped: {chromium.get('skipped') or chromium.get('error')}.", ""]
    lines += signed_in_bench.results_section(data["signed_in"], verdict, cpu_row)
    lines += progress_bench.results_section(data["progress"], verdict, cpu_row)
    lines += ["## Timings of this run", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in data["timings"].items()]
    lines.append("")
    common.write_sections(RESULTS_MD, "\n".join(lines))


# --- Main ----------------------------------------------------------------------------------------


def choose_loadgen() -> tuple[str, str]:
    have_wrk = shutil.which("wrk") is not None
    if LOADGEN == "wrk" and not have_wrk:
        raise BenchError("BENCH_LOADGEN=wrk but wrk is not installed (Debian: apt-get install wrk)")
    if LOADGEN == "wrk" or (LOADGEN == "auto" and have_wrk):
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
        return (
            "wrk",
            f"`{(version or ['wrk'])[0].strip()}`, 2 threads, latency percentiles from its per-request histogram",
        )
    return "python", (
        "the built-in asyncio generator (wrk is not installed; raw HTTP/1.1 keep-alive sockets, one process, "
        "per-request `perf_counter` timings, percentiles by nearest rank); it shares the 2 cores with the server"
    )


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return common.guarded(bench_run)


def bench_run(cleanup) -> int:
    """The whole run; gunicorn and its log are registered on `cleanup` (see common.guarded)."""
    timings: dict[str, float] = {}
    started_all = time.perf_counter()
    env = bench_env()
    tool, loadgen_note = choose_loadgen()
    log(f"load generator: {tool}")
    t0 = time.perf_counter()
    setup_stack(env)
    targets = find_targets(env)
    log(f"lesson {targets['lesson_url']} ({targets['lesson_title']}), catalogue {targets['catalogue_url']}")
    timings["setup (database, static, demo content)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    port = free_port()
    server, health = start_server(env, port, cleanup)
    timings["gunicorn start until /healthz 200"] = time.perf_counter() - t0

    headers = dict(BROWSER_HEADERS)
    bypass_headers = {**headers, "Cookie": BYPASS_COOKIE}
    for path in (targets["lesson_url"], targets["catalogue_url"]):
        status, _response, _body = http_get(port, path, headers)
        if status != 200:
            raise BenchError(f"{path} answered {status}")

    t0 = time.perf_counter()
    sequential = {
        "lesson_cached": sequential_latency(port, targets["lesson_url"], headers),
        "lesson_bypass": sequential_latency(port, targets["lesson_url"], bypass_headers, count=40),
        "catalogue_cached": sequential_latency(port, targets["catalogue_url"], headers),
        "catalogue_bypass": sequential_latency(port, targets["catalogue_url"], bypass_headers, count=40),
    }
    for name, figures in sequential.items():
        log(f"unloaded {name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    entries = page_cache_entries()
    log(f"page cache entries in Redis: {entries}")
    timings["unloaded latency probes"] = time.perf_counter() - t0

    meter = CpuMeter(server.pid)
    meter.start()
    time.sleep(1.5)
    idle_before = meter.stop()
    log(f"machine before the load tests: {idle_before['machine']}% busy ({idle_before['top_others'] or 'idle'})")

    t0 = time.perf_counter()
    window = {"port": port, "server_pid": server.pid, "tool": tool, "connections": CONNECTIONS}
    load = {
        "lesson": measure("lesson (nl)", path=targets["lesson_url"], headers=headers, duration=DURATION,
                          warmup=WARMUP, **window),
        "catalogue": measure("catalogue (nl)", path=targets["catalogue_url"], headers=headers,
                             duration=DURATION, warmup=WARMUP, **window),
        "lesson_bypass": measure("lesson (nl), page cache bypassed", path=targets["lesson_url"],
                                 headers=bypass_headers, duration=BYPASS_DURATION, warmup=min(WARMUP, 2),
                                 **window),
    }  # fmt: skip
    timings["load tests"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    crawl = crawl_transfer(port, targets["lesson_url"])
    log(f"transfer (crawl): {crawl['counted_body_bytes']} body bytes + {crawl['counted_header_bytes']} header bytes")
    try:
        chromium = chromium_transfer(port, targets["lesson_url"])
    except Exception as error:  # noqa: BLE001 — the browser figure is a bonus; report why it is missing
        chromium = {"error": f"{error.__class__.__name__}: {str(error).splitlines()[0][:200]}"}
    log(f"transfer (chromium): {chromium.get('counted_bytes', chromium.get('skipped') or chromium.get('error'))}")
    timings["transfer measurements"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    signed_in = signed_in_bench.measure_signed_in(
        sys.modules[__name__], env, cleanup, port, server.pid, tool, targets["lesson_url"]
    )
    timings["signed-in pages and the bare Wagtail yardstick"] = time.perf_counter() - t0

    # Last, because it adds 550 pages to the Dutch catalogue that the figures above must not see.
    progress = progress_bench.measure_progress(sys.modules[__name__], env, port, server.pid, tool, timings)

    stop_server(server)
    timings["total"] = time.perf_counter() - started_all
    data = {
        "machine": machine_facts(health),
        "targets": targets,
        "gunicorn_cmd": (OUT_DIR / "gunicorn.cmd").read_text().strip().replace(str(VENV_BIN) + "/", ".venv/bin/"),
        "loadgen": tool,
        "loadgen_note": loadgen_note,
        "sequential": sequential,
        "page_cache_entries": entries,
        "idle_before": idle_before,
        "load": {name: asdict(result) for name, result in load.items()},
        "transfer": {"crawl": crawl, "chromium": chromium},
        "progress": progress,
        "signed_in": signed_in,
        "timings": timings,
    }
    (OUT_DIR / "results.json").write_text(json.dumps(data, indent=2, default=str))
    write_results(data)
    log(f"wrote its sections of {RESULTS_MD.relative_to(ROOT)} in {timings['total']:.0f} s total")
    lesson = load["lesson"]
    print()
    print(f"lesson:    {lesson.rps:.0f} req/s, p50 {lesson.p50_ms:.1f} ms, p95 {lesson.p95_ms:.1f} ms, "
          f"errors {lesson.errors}   (target >= {TARGET_RPS} req/s, p95 <= {TARGET_P95_MS} ms)")  # fmt: skip
    cat = load["catalogue"]
    print(f"catalogue: {cat.rps:.0f} req/s, p50 {cat.p50_ms:.1f} ms, p95 {cat.p95_ms:.1f} ms, errors {cat.errors}")
    print(f"transfer:  {crawl['counted_body_bytes']} bytes compressed (crawl, bodies), "
          f"{chromium.get('counted_bytes', 'n/a')} bytes (Chromium)   (target <= {TARGET_KB} KB)")  # fmt: skip
    ingest = progress["ingest"]
    print(f"ingest:    {ingest['statements_per_s']:.0f} statements/s, batch p50 {ingest['p50_ms']:.1f} ms, "
          f"p95 {ingest['p95_ms']:.1f} ms, errors {ingest['errors']}, COUNT(*) "
          f"{'verified' if ingest['count_verified'] else 'MISMATCH'}   "
          f"(target >= {progress_bench.TARGET_STATEMENTS_PER_S} statements/s)")  # fmt: skip
    for key, ratio in signed_in["ratios"].items():
        print(f"{key}: {ratio:.2f} x the bare Wagtail page ({signed_in['yardstick_rps']:.0f} req/s)")
    learning = progress["my_learning"]
    for connections, result in learning["load"].items():
        print(f"my learning ({connections} conn.): {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
              f"p95 {result['p95_ms']:.1f} ms, errors {result['errors']}   "
              f"(target p95 <= {progress_bench.TARGET_MY_LEARNING_P95_MS} ms)")  # fmt: skip
    print(f"my learning SQL queries: {learning['many']['queries']} ({learning['many']['modules']} modules) vs "
          f"{learning['few']['queries']} ({learning['few']['modules']} modules)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
