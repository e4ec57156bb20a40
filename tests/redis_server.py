"""A redis-server of the test's own, which the test may kill, restart or stall (never the shared one).

Port 6390-6399 (the first free one), no persistence, its files in a temporary folder. `redis_caches`
points the site's two cache names at it, with the production options (learn/settings.py).
"""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis

PORTS = range(6390, 6400)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 6390-6399 for a test Redis")


class RedisServer:
    def __init__(self):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
        self.folder = tempfile.mkdtemp(prefix="oefenplein-redis-")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self.folder]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        for _attempt in range(100):
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.05)
        raise RuntimeError("the test Redis did not start")

    def kill(self) -> None:
        """As `kill -9`: gone at once, with everything it held (no persistence)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self, milliseconds: int) -> None:
        """A stall: Redis keeps its connections and data but answers nothing for that long."""
        redis.Redis(host="127.0.0.1", port=self.port).execute_command("CLIENT", "PAUSE", milliseconds, "ALL")

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=15)

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_redis(settings, url: str) -> None:
    """Point the cache, sessions, broker and result backend of this test at `url` as production does."""
    from learn.settings import redis_caches

    settings.REDIS_URL = url
    settings.CACHES = redis_caches(url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
