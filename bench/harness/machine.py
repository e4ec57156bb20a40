"""What machine, and which versions of the services and packages, the figures come from."""

from __future__ import annotations

import platform
import re
import subprocess
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


def postgres_version(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def load_average() -> str:
    """The 1-minute load average, as /proc/loadavg gives it."""
    return Path("/proc/loadavg").read_text().split()[0]


def machine_facts(health: dict | None, database_url: str, redis_url: str) -> dict:
    """Date, cores, CPU, memory, kernel, Python, PostgreSQL, Redis and the web stack's package versions."""

    def first(pattern: str, text: str, default: str = "?") -> str:
        match = re.search(pattern, text, re.MULTILINE)
        return match.group(1).strip() if match else default

    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(first(r"^MemTotal:\s*(\d+)", meminfo, "0"))
    facts = {
        "date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu_model(),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    try:
        facts["postgresql"] = postgres_version(database_url)
    except Exception as error:  # noqa: BLE001
        facts["postgresql"] = f"? ({error.__class__.__name__})"
    try:
        import redis

        client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
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
