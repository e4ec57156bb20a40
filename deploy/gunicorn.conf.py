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
# Each worker holds at most this many connections; beyond it new ones wait in the listen backlog (where
# any worker, not only the busiest, can take them) instead of being tied to one worker by keep-alive.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "25"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# The kernel spreads new connections over the workers (SO_REUSEPORT) rather than waking one at a time.
reuse_port = True
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
