"""gunicorn settings for Oefenplein: `gunicorn -c deploy/gunicorn.conf.py learn.wsgi:application`.

One file for production (deploy/systemd), `make deploy-check` and the benchmarks, so what is measured is
what runs. Every value can be overridden from the environment (GUNICORN_*), e.g. the bind address per host.
Why each value is what it is: see the comments and README "Production".
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# One process per core; threads overlap the waits on PostgreSQL and Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A gthread worker accepts connections until it holds this many. Without a cap one worker can take every
# connection of a burst while the other idles (the issue 15 run: 448 of 448 on one worker, throughput halved).
# With 25, past 2 x 25 connections new ones wait in the listen backlog, and whichever worker has a free slot
# takes the next: both stay busy. Measured in bench/RESULTS.md ("Signed-in learners under load").
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "25"))
# 0: gunicorn closes a connection after its response. An idle keep-alive connection holds one of the 25 slots:
# with keepalive 5 s, learners who act every 10 s kept the slots full of idle connections, every new
# connection waited in the backlog for one to expire, and p95 went to 1-3 s from 300 learners while the CPU
# was 70% idle (server time p95 39 ms). With 0: p95 183 ms at 500 learners and 205 ms at 800, 0 errors.
# Browsers keep their keep-alive with nginx, which opens a connection to gunicorn per request (loopback or
# the local network: a fraction of a millisecond).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# SO_REUSEPORT on the listening socket: a new gunicorn can bind the address while the old one still drains
# (restart without refused connections). It does not spread connections: gunicorn's workers share the
# master's one socket, and worker_connections does that job.
reuse_port = True
# The kernel queue of connections no worker has taken yet (capped by net.core.somaxconn, 4096 on Debian 12).
# Deep on purpose: a burst waits here rather than being refused; learn/overload.py then answers the ones that
# waited too long (X-Request-Start from nginx) with a quick 503 + Retry-After.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Workers are replaced now and then, with jitter, so slow memory growth never piles up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
# Only the local web server may set X-Forwarded-* (nginx in deploy/nginx).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# --- Logs and metrics (README "Logs and metrics") --------------------------------------------------------
# gunicorn's own lines (start, worker restarts, timeouts) in the site's format (learn/settings.py LOG_FORMAT).
# Its access log stays silent: the site logs one line per request itself, with the request id and no address.
from learn.logs import gunicorn_logconfig  # noqa: E402 — needs only the standard library and the project

_production = os.environ.get("DJANGO_ENV", "").lower() == "production"
logconfig_dict = gunicorn_logconfig(log_format=os.environ.get("LOG_FORMAT", "json" if _production else "text").lower())


def on_starting(server):
    """prometheus-client multiprocess mode: every gunicorn instance needs its own, empty folder at start."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A replaced worker's gauges leave /metrics with it (its counters and histograms stay summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
