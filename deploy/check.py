"""`make deploy-check`: the production set-up of deploy/ run for real on this machine, checked through nginx.

What it starts (all on loopback, all stopped on exit, error or Ctrl+C):
* its own PostgreSQL 15 cluster (port 5440, so the restart fault touches nobody else) and its own
  redis-server (port 6400, appendonly: the broker keeps its queue on disk), shared by everything below;
* Debian's nginx as a non-daemon with its own prefix, running deploy/nginx/oefenplein.conf.template as
  rendered by deploy/nginx_render.py, with certificates made by openssl now for two host names
  (the site and the H5P player origin) that resolve to 127.0.0.1 here;
* two gunicorn instances (ports 8401 and 8402, standing for two hosts), two Celery workers and one beat,
  each with the command line of its systemd unit in deploy/systemd/ and the environment of
  deploy/env.example with this run's values (no secret is committed: the secret key is made now).

What it checks, through nginx only: the sections printed as it goes (README "Production set-up").
Then the faults of issue 20 under a bounded load of 100 signed-in learners (deploy/load.py), with the
figures written to bench/RESULTS.md, and a backup restored into a fresh database and folders behind the
same nginx. Exit 1 when any check failed; every check prints PASS or FAIL with what it saw.

Options: --quick (no faults), --keep (leave the temp dir for a look afterwards). Logs: bench/out/deploy-check/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
sys.path.insert(0, str(DEPLOY))
sys.path.insert(0, str(ROOT / "bench"))

import load as loadlib  # noqa: E402  (deploy/load.py)
import nginx_render  # noqa: E402  (deploy/nginx_render.py)

OUT = ROOT / "bench" / "out" / "deploy-check"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
SITE_HOST, PLAYER_HOST = "oefenplein.test", "h5p-usercontent.test"
HTTPS_PORT, HTTP_PORT = 8443, 8480
APP_PORTS = (8401, 8402)
REDIS_PORT, PG_PORT = 6400, 5440
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB_NAME, RESTORED_DB = "oef_deploy_check", "oef_deploy_check_restored"
SITE_ORIGIN = f"https://{SITE_HOST}:{HTTPS_PORT}"
PLAYER_ORIGIN = f"https://{PLAYER_HOST}:{HTTPS_PORT}"
UNIT_PREFIX, UNIT_STATE = "/srv/oefenplein/app", "/var/lib/oefenplein"
LEARNERS = int(os.environ.get("DEPLOY_CHECK_LEARNERS", "100"))
# Seconds a learner reads between a lesson and its batch, and after it (a real one reads longer): 100
# learners then make about 17 requests a second, a bounded load that leaves room on a 2-core machine
# shared with other work.
THINK = (8.0, 16.0)
REDIS_DOWN_SECONDS = float(os.environ.get("DEPLOY_CHECK_REDIS_DOWN", "30"))


def log(message: str) -> None:
    print(f"[deploy-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failed(RuntimeError):
    """The stack could not be brought up; nothing further can be checked."""


# --- Results ---------------------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.items: list[tuple[str, str, bool, str]] = []
        self.section = ""
        self.figures: dict[str, dict] = {}

    def start(self, section: str) -> None:
        self.section = section
        log(f"== {section}")

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.items.append((self.section, name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""))
        return bool(ok)

    def error(self, name: str, error: BaseException) -> None:
        self.check(name, False, f"{type(error).__name__}: {error}")

    @property
    def failed(self) -> list[tuple[str, str, bool, str]]:
        return [item for item in self.items if not item[2]]


# --- Processes -------------------------------------------------------------------------------------------


class Procs:
    """Every process this run started, by name; each in its own process group, stopped on exit."""

    def __init__(self):
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, object] = {}

    def start(self, name: str, args: list[str], env: dict[str, str], user: str | None = None) -> subprocess.Popen:
        if name in self.procs and self.procs[name].poll() is None:
            raise Failed(f"{name} runs already")
        handle = (OUT / f"{name}.log").open("a")
        handle.write(f"\n--- {time.strftime('%H:%M:%S')} {shlex.join(args)}\n")
        handle.flush()
        self.logs[name] = handle
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def signal(self, name: str, sig: int) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)

    def stop(self, name: str, timeout: float = 30) -> None:
        """TERM to the main process only, as systemd's KillMode=mixed; the whole group gets KILL after timeout."""
        proc = self.procs.get(name)
        if not proc or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(name, signal.SIGKILL)
            proc.wait(timeout=10)

    def kill9(self, name: str) -> None:
        """kill -9 of the whole process group: the main process and its children, as a power loss."""
        self.signal(name, signal.SIGKILL)
        self.procs[name].wait(timeout=10)

    def alive(self, name: str) -> bool:
        proc = self.procs.get(name)
        return bool(proc and proc.poll() is None)

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            try:
                self.stop(name, timeout=20)
            except Exception as error:  # noqa: BLE001 — stop the others anyway
                log(f"stopping {name}: {error}")
        for handle in self.logs.values():
            handle.close()


def unit_command(unit: str, host: str, state_dir: Path) -> list[str]:
    """The ExecStart= of a deploy/systemd unit, with this checkout in place of /srv/oefenplein/app."""
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.split("=", 1)[1].replace(UNIT_PREFIX, str(ROOT)).replace(UNIT_STATE, str(state_dir))
    return [part.replace("%H", host) for part in shlex.split(command)]


def unit_env_file(unit: str) -> str:
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    return next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("EnvironmentFile="))


def wait_for(what: str, probe, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
            last = result
        except Exception as error:  # noqa: BLE001 — keep trying until the deadline
            last = error
        time.sleep(interval)
    raise Failed(f"{what} not ready within {timeout:.0f} s (last: {last!r})")


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- The stack -------------------------------------------------------------------------------------------


class Stack:
    def __init__(self, temp: Path, procs: Procs):
        self.temp, self.procs = temp, procs
        self.pg_dir = temp / "pg"
        self.state = temp / "state"
        self.certs = temp / "certs"
        self.nginx_dir = temp / "nginx"
        self.env = self._env()
        self.nginx = loadlib.Nginx(HTTPS_PORT, str(self.certs / "ca.crt"))

    # Environment: deploy/env.example with this run's values.
    def _env(self) -> dict[str, str]:
        example = nginx_render.env_file_read(DEPLOY / "env.example")
        run = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{SITE_HOST},{PLAYER_HOST}",
            "DJANGO_CSRF_TRUSTED_ORIGINS": SITE_ORIGIN,
            "SITE_ORIGIN": SITE_ORIGIN,
            "H5P_PLAYER_ORIGIN": PLAYER_ORIGIN,
            "WAGTAILADMIN_BASE_URL": SITE_ORIGIN,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "HEALTHZ_TOKEN": secrets.token_urlsafe(24),
            "GUNICORN_BIND": f"127.0.0.1:{APP_PORTS[0]}",
            "GUNICORN_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "STATIC_ROOT": str(self.temp / "static"),
            "MEDIA_ROOT": str(self.temp / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.temp / "private"),
            "H5P_ROOT": str(self.temp / "h5p"),
            "OEFENPLEIN_VAR_DIR": str(self.state),
            "BACKUP_DIR": str(self.temp / "backups"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "NGINX_UPSTREAMS": ",".join(f"127.0.0.1:{port}" for port in APP_PORTS),
            "NGINX_CERT_DIR": str(self.certs),
            "NGINX_LISTEN": "127.0.0.1",
            "NGINX_HTTP_PORT": str(HTTP_PORT),
            # Two gunicorn hosts with 2 workers each share this machine's cores with everything else.
            "GUNICORN_WORKERS": "2",
            # The tasks of this check take seconds: an interrupted one is handed out again after a minute
            # (production keeps the longer default of learn/settings.py).
            "CELERY_VISIBILITY_TIMEOUT": "60",
            "WORKER_HEARTBEAT_SECONDS": "5",
            "WORKER_HEARTBEAT_TTL": "20",
        }
        missing = [key for key, value in example.items() if "CHANGE_ME" in value and key not in run]
        if missing:
            raise Failed(f"deploy/env.example has placeholders this check does not fill: {missing}")
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "CHROMIUM")}
        return {**keep, **example, **run, "PYTHONUNBUFFERED": "1"}

    def setup_env(self) -> dict[str, str]:
        """For migrate and the demo content: the same, but not DJANGO_ENV=production (demo data refuses it)."""
        env = dict(self.env)
        env.pop("DJANGO_ENV")
        return env

    # PostgreSQL: a cluster of our own, so it can be restarted.
    def postgres_start(self) -> None:
        if not port_free(PG_PORT):
            raise Failed(f"port {PG_PORT} is in use: another deploy-check still running?")
        self.pg_dir.mkdir()
        shutil.chown(self.pg_dir, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.pg_dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip
        self.postgres_ctl("start")
        self.psql(f'CREATE DATABASE "{DB_NAME}"')

    def _pg(self, binary: str, *args: str) -> str:
        done = subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / binary), *args],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        if done.returncode != 0:
            raise Failed(f"{binary} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def postgres_ctl(self, action: str) -> None:
        options = f"-p {PG_PORT} -k {self.pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._pg("pg_ctl", "-D", str(self.pg_dir / "data"), "-l", str(self.pg_dir / "postgres.log"), "-o", options,
                 "-w", "-t", "60", "-m", "fast", action)  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", database,
                               "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True,
                              timeout=60)  # fmt: skip
        if done.returncode != 0:
            raise Failed(f"psql: {done.stderr.strip()}")
        return done.stdout.strip()

    # Redis: our own, with the queue on disk.
    def redis_start(self) -> None:
        (self.temp / "redis").mkdir(exist_ok=True)
        args = ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--dir", str(self.temp / "redis"),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]  # fmt: skip
        self.procs.start("redis", args, self.env)
        wait_for("redis", lambda: self.redis_ping(), 15)

    def redis_command(self, *parts: str) -> bytes:
        """One command in Redis's protocol; the raw first line of the answer."""
        payload = f"*{len(parts)}\r\n" + "".join(f"${len(part.encode())}\r\n{part}\r\n" for part in parts)
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=2) as sock:
            sock.sendall(payload.encode())
            return sock.recv(256).split(b"\r\n", 1)[0]

    def redis_ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def manage(self, name: str, *args: str, env: dict | None = None, timeout: float = 600) -> str:
        with (OUT / f"{name}.log").open("w") as handle:
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env or self.setup_env(),
                                  stdout=subprocess.PIPE, stderr=handle, text=True, timeout=timeout)  # fmt: skip
            handle.write(done.stdout)
        if done.returncode != 0:
            raise Failed(f"manage.py {' '.join(args)} failed; see {OUT / (name + '.log')}")
        return done.stdout

    def setup(self) -> dict:
        started = time.monotonic()
        for folder in ("static", "media", "private", "h5p", "state", "backups"):
            (self.temp / folder).mkdir(exist_ok=True)
        self.manage("migrate", "migrate", "--noinput", "-v0")
        self.manage("compilemessages", "compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v0")
        self.manage("collectstatic", "collectstatic", "--noinput", "-v0")
        self.manage("load_demo", "load_demo")
        self.manage("load_demo_coaching", "load_demo_coaching")
        self.manage("load_demo_training", "load_demo_training")
        with (OUT / "fixtures.log").open("w") as handle:
            done = subprocess.run([sys.executable, str(DEPLOY / "check_fixtures.py"), str(LEARNERS)], cwd=ROOT,
                                  env=self.setup_env(), stdout=subprocess.PIPE, stderr=handle, text=True,
                                  timeout=600)  # fmt: skip
        line = next((line for line in done.stdout.splitlines() if line.startswith("FIXTURES=")), None)
        if done.returncode != 0 or line is None:
            raise Failed(f"deploy/check_fixtures.py failed; see {OUT / 'fixtures.log'}")
        # Publishing the demo content queued read-aloud clips for every scenario (minutes of speech
        # synthesis, which the check does not look at, like `make run`'s readaloud_generate): drop them.
        subprocess.run([str(Path(sys.executable).parent / "celery"), "-A", "learn", "purge", "-f"], cwd=ROOT,
                       env=self.setup_env(), check=True, capture_output=True, timeout=60)  # fmt: skip
        log(f"database, static files, demo content and fixtures ready in {time.monotonic() - started:.0f} s")
        return json.loads(line.split("=", 1)[1])

    def new_sessions(self) -> list[dict]:
        """The load's learners signed in again (a fault signed them out: the next fault starts clean)."""
        done = subprocess.run([sys.executable, str(DEPLOY / "check_fixtures.py"), "--sessions", str(LEARNERS)],
                              cwd=ROOT, env=self.setup_env(), capture_output=True, text=True, timeout=300)  # fmt: skip
        line = next((line for line in done.stdout.splitlines() if line.startswith("SESSIONS=")), None)
        if done.returncode != 0 or line is None:
            raise Failed(f"new sessions: {done.stderr.strip()[-300:]}")
        return json.loads(line.split("=", 1)[1])

    # nginx
    def certificates(self) -> None:
        self.certs.mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=deploy-check CA", "-keyout", str(self.certs / "ca.key"), "-out",
                        str(self.certs / "ca.crt")], check=True, capture_output=True)  # fmt: skip
        for host in (SITE_HOST, PLAYER_HOST):
            key, csr, crt = (self.certs / f"{host}.{ext}" for ext in ("key", "csr", "crt"))
            ext = self.certs / f"{host}.ext"
            ext.write_text(f"subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\n")
            subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={host}", "-keyout",
                            str(key), "-out", str(csr)], check=True, capture_output=True)  # fmt: skip
            subprocess.run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(self.certs / "ca.crt"), "-CAkey",
                            str(self.certs / "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", str(ext),
                            "-out", str(crt)], check=True, capture_output=True)  # fmt: skip

    def nginx_start(self) -> Path:
        site = nginx_render.render(self.env, self.nginx_dir / "conf")
        for folder in ("logs", "temp/body", "temp/proxy"):
            (self.nginx_dir / folder).mkdir(parents=True, exist_ok=True)
        main = self.nginx_dir / "conf" / "nginx.conf"
        # The http {} of Debian's /etc/nginx/nginx.conf, with our own temp and log paths.
        main.write_text(f"""worker_processes 2;
error_log {self.nginx_dir}/logs/error.log warn;
pid {self.nginx_dir}/nginx.pid;
events {{ worker_connections 2048; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.nginx_dir}/logs/access.log;
    client_body_temp_path {self.nginx_dir}/temp/body;
    proxy_temp_path {self.nginx_dir}/temp/proxy;
    fastcgi_temp_path {self.nginx_dir}/temp/fastcgi;
    uwsgi_temp_path {self.nginx_dir}/temp/uwsgi;
    scgi_temp_path {self.nginx_dir}/temp/scgi;
    include {site};
}}
""")
        args = ["nginx", "-p", str(self.nginx_dir), "-c", str(main), "-g", "daemon off;"]
        test = subprocess.run([*args[:-2], "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise Failed(f"nginx -t: {test.stderr.strip()}")
        self.procs.start("nginx", args, self.env)
        wait_for("nginx", lambda: not port_free(HTTPS_PORT), 15)
        return site

    # The application
    def gunicorn_start(self, number: int, env: dict | None = None) -> None:
        name = f"gunicorn-{number + 1}"
        # Two gunicorns on one machine: each its own control socket (on a real host there is one).
        env = {**(env or self.env), "GUNICORN_BIND": f"127.0.0.1:{APP_PORTS[number]}",
               "GUNICORN_CMD_ARGS": f"--control-socket {self.state / (name + '.ctl')}"}  # fmt: skip
        self.procs.start(name, unit_command("oefenplein-gunicorn.service", name, self.state), env)
        wait_for(f"{name} /healthz", lambda: self.app_health(APP_PORTS[number]) == 200, 90)

    def app_health(self, port: int) -> int:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
        try:
            conn.request("GET", "/healthz", headers={"Host": f"{SITE_HOST}:{HTTPS_PORT}", "X-Forwarded-Proto": "https"})
            return conn.getresponse().status
        finally:
            conn.close()

    def worker_start(self, number: int) -> None:
        name = f"worker-{number}"
        self.procs.start(name, unit_command("oefenplein-worker.service", f"check-{number}", self.state), self.env)
        wait_for(f"{name}", lambda: b" ready." in (OUT / f"{name}.log").read_bytes(), 90, 0.5)

    def beat_start(self) -> None:
        self.procs.start("beat", unit_command("oefenplein-beat.service", "beat", self.state), self.env)


# --- HTTP helpers ----------------------------------------------------------------------------------------


def form_token(body: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        raise Failed("no CSRF token in the form")
    return match.group(1).decode()


def post_form(browser: loadlib.Browser, path: str, fields: list[tuple[str, str]]) -> loadlib.Response:
    from urllib.parse import urlencode

    return browser.request("POST", SITE_HOST, path, urlencode(fields).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": SITE_ORIGIN, "Referer": SITE_ORIGIN + path})  # fmt: skip


def learner_sign_in(nginx: loadlib.Nginx, code: str, pin: str) -> tuple[loadlib.Browser, loadlib.Response]:
    browser = loadlib.Browser(nginx)
    page = browser.request("GET", SITE_HOST, "/nl/account/login/")
    token = form_token(page.body)
    step = post_form(browser, "/nl/account/login/", [("csrfmiddlewaretoken", token), ("learner_code", code)])
    if step.status == 302:
        step = browser.request("GET", SITE_HOST, step.header("Location"))
    token = form_token(step.body) if step.status == 200 else token
    done = post_form(browser, "/nl/account/login/learner/", [("csrfmiddlewaretoken", token), ("pin", pin)])
    return browser, done


def password_sign_in(nginx: loadlib.Nginx, username: str, password: str) -> tuple[loadlib.Browser, loadlib.Response]:
    browser = loadlib.Browser(nginx)
    page = browser.request("GET", SITE_HOST, "/nl/account/login/")
    done = post_form(browser, "/nl/account/login/", [("csrfmiddlewaretoken", form_token(page.body)),
                                                    ("username", username), ("password", password)])  # fmt: skip
    return browser, done


def health_detail(stack: Stack) -> tuple[int, dict]:
    browser = loadlib.Browser(stack.nginx)
    response = browser.request(
        "GET", SITE_HOST, "/healthz", headers={"Authorization": f"Bearer {stack.env['HEALTHZ_TOKEN']}"}
    )
    browser.close()
    try:
        return response.status, json.loads(response.body)
    except ValueError:
        return response.status, {"body": response.body[:200].decode("utf-8", "replace")}


# --- Checks through nginx --------------------------------------------------------------------------------

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=",
    "Content-Security-Policy": "default-src",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def check_site(results: Results, stack: Stack, fx: dict, site_conf: Path) -> dict:
    nginx = stack.nginx
    results.start("Through nginx")
    anonymous = loadlib.Browser(nginx)
    lesson = fx["lessons"][0]

    # Plain HTTP only redirects to HTTPS.
    import http.client

    plain = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
    plain.request("GET", lesson["url"], headers={"Host": SITE_HOST})
    answer = plain.getresponse()
    answer.read()
    plain.close()
    results.check("http:// answers 301 to https://", answer.status == 301
                  and answer.getheader("Location", "").startswith(f"https://{SITE_HOST}:{HTTPS_PORT}/"),
                  f"{answer.status} {answer.getheader('Location')}")  # fmt: skip

    page = anonymous.request("GET", SITE_HOST, lesson["url"], headers={"Accept-Encoding": "gzip"})
    results.check("a lesson, anonymous: 200", page.status == 200, f"{page.status} {lesson['url']}")
    results.check(
        "the lesson is gzip-compressed", page.header("Content-Encoding") == "gzip", str(page.header("Content-Encoding"))
    )
    for name, expected in SECURITY_HEADERS.items():
        value = page.header(name) or ""
        results.check(f"security header {name}", expected in value and len(page.headers_all(name)) == 1, value[:80])
    results.check("TLS certificate of the site verified for its name", True, SITE_HOST)

    plain_page = anonymous.request("GET", SITE_HOST, lesson["url"])
    css = re.search(rb'href="(/static/[^"]+\.css)"', plain_page.body)
    if results.check("the lesson links a hashed stylesheet", bool(css)):
        static = anonymous.request("GET", SITE_HOST, css.group(1).decode(), headers={"Accept-Encoding": "gzip"})
        results.check("static file served by nginx with a year's cache",
                      static.status == 200 and static.header("Cache-Control") == "public, max-age=31536000, immutable",
                      f"{static.status} {static.header('Cache-Control')}")  # fmt: skip
        results.check(
            "static file sent gzip-compressed (whitenoise's .gz copy)",
            static.header("Content-Encoding") == "gzip",
            str(static.header("Content-Encoding")),
        )

    # Learner code + PIN.
    learner, done = learner_sign_in(nginx, fx["learner_code"], fx["learner_pin"])
    results.check("learner code + PIN sign-in (LEE-R26 / 2580)", done.status == 302
                  and "/my-learning/" in (done.header("Location") or ""), f"{done.status} {done.header('Location')}")  # fmt: skip
    cookie = next(
        (value for value in done.headers_all("Set-Cookie") if value.startswith(fx["session_cookie"] + "=")), ""
    )
    results.check(
        "session cookie Secure, HttpOnly, SameSite=Lax",
        all(flag in cookie for flag in ("Secure", "HttpOnly", "SameSite=Lax")),
        cookie.split(";", 1)[-1][:120],
    )
    signed_in = learner.request("GET", SITE_HOST, lesson["url"])
    results.check(
        "a lesson, signed in: 200 and shown signed in",
        signed_in.status == 200 and loadlib.SIGNED_IN_MARKER in signed_in.body,
        str(signed_in.status),
    )
    results.check("signed-in page is not cacheable by proxies",
                  "private" in (signed_in.header("Cache-Control") or "") or "no-store" in (signed_in.header("Cache-Control") or ""),
                  str(signed_in.header("Cache-Control")))  # fmt: skip

    # A statement batch, and the same batch again.
    import random

    batch = loadlib.lesson_batch(lesson, random.Random(7))
    csrf = learner.cookies[SITE_HOST].get(fx["csrf_cookie"], "")
    headers = {"Content-Type": "application/json", "Accept": "application/json", fx["csrf_header"]: csrf,
               "Origin": SITE_ORIGIN, "Referer": SITE_ORIGIN + lesson["url"]}  # fmt: skip
    first = learner.request("POST", SITE_HOST, fx["statements_path"], json.dumps(batch).encode(), headers)
    again = learner.request("POST", SITE_HOST, fx["statements_path"], json.dumps(batch).encode(), headers)
    first_body = json.loads(first.body) if first.status == 200 else {}
    again_body = json.loads(again.body) if again.status == 200 else {}
    results.check(
        "a statement batch is stored",
        first.status == 200 and first_body.get("stored") == len(batch),
        f"{first.status} {first.body[:100]!r}",
    )
    results.check("the same batch again is stored once (duplicates named)",
                  again.status == 200 and again_body.get("stored") == 0 and again_body.get("duplicates") == len(batch),
                  f"{again.status} {again.body[:100]!r}")  # fmt: skip
    mine = learner.request("GET", SITE_HOST, "/nl/my-learning/")
    results.check(
        "'My learning' shows the lesson", mine.status == 200 and lesson["title"].encode() in mine.body, str(mine.status)
    )

    # The H5P player on its own origin.
    h5p_page = learner.request("GET", SITE_HOST, fx["h5p"]["lesson_url"])
    src = re.search(rb'src="(https://[^"]+/h5p/play/[^"]+)"', h5p_page.body)
    player = {}
    if results.check(
        "the lesson with an H5P exercise frames the player origin",
        bool(src) and src.group(1).decode().startswith(PLAYER_ORIGIN + "/"),
        str(src and src.group(1)[:90]),
    ):
        from html import unescape
        from urllib.parse import urlsplit

        url = urlsplit(unescape(src.group(1).decode()))
        path = f"{url.path}?{url.query}"
        snooping = loadlib.Browser(nginx, {PLAYER_HOST: dict(learner.cookies[SITE_HOST])})  # cookies sent on purpose
        play = snooping.request("GET", PLAYER_HOST, path)
        results.check("the player answers on its own host", play.status == 200, str(play.status))
        results.check(
            "the player sets no cookie (even when sent the site's)",
            not play.headers_all("Set-Cookie"),
            str(play.headers_all("Set-Cookie")),
        )
        csp = play.header("Content-Security-Policy") or ""
        results.check("the player may be framed only by the site", f"frame-ancestors {SITE_ORIGIN}" in csp, csp[-80:])
        names = [key.lower() for key, _value in play.headers]
        twice = sorted({name for name in names if names.count(name) > 1} - {"vary", "set-cookie"})
        results.check("the player origin's own headers (nginx's X-Robots-Tag, the app's COOP and HSTS), none twice",
                      play.header("X-Robots-Tag") == "noindex, nofollow"
                      and play.header("Cross-Origin-Opener-Policy") == "same-origin"
                      and "max-age=" in (play.header("Strict-Transport-Security") or "") and not twice,
                      f"{play.header('X-Robots-Tag')}; twice: {twice}")  # fmt: skip
        content_path = f"/h5p/files/content/{fx['h5p']['key']}/content/content.json"
        content = snooping.request("GET", PLAYER_HOST, content_path)
        results.check(
            "the exercise's files come from the player origin",
            content.status == 200 and b"question" in content.body,
            str(content.status),
        )
        results.check(
            "...and not from the site's host", anonymous.request("GET", SITE_HOST, content_path).status == 404
        )
        results.check(
            "the site's pages do not exist on the player host",
            snooping.request("GET", PLAYER_HOST, lesson["url"]).status == 404,
        )
        results.check(
            "no H5P files under the site's /media/",
            anonymous.request("GET", SITE_HOST, f"/media/h5p/content/{fx['h5p']['key']}/h5p.json").status == 404,
        )
        player = {"path": path, "content_path": content_path}

    # The upload limit is the project's, and nginx refuses more before gunicorn sees a byte.
    limit = re.search(r"client_max_body_size (\d+)m;", site_conf.read_text()).group(1)
    import http.client as hc

    conn = nginx.connection(SITE_HOST)
    conn.putrequest("POST", "/nl/account/login/")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Content-Length", str((int(limit) + 1) * 1024 * 1024))
    conn.endheaders()
    too_big = conn.getresponse()
    results.check(
        f"a body over client_max_body_size ({limit} MiB, from the settings' upload limits) gets 413 from nginx",
        too_big.status == 413,
        str(too_big.status),
    )
    conn.close()
    del hc

    # A card sheet PDF, made by a worker (the coach's flow).
    coach, done = password_sign_in(nginx, fx["coach"]["username"], fx["coach"]["password"])
    results.check("coach signs in with user name and password", done.status == 302, str(done.status))
    sheet = card_sheet(coach, fx["card_learners"][:2])
    results.check(
        "card sheet PDF made by a worker, downloaded through nginx",
        sheet.get("pdf", False),
        f"{sheet.get('seconds', '?')} s, {sheet.get('detail', '')}",
    )

    # /healthz as the load balancer sees it.
    public = anonymous.request("GET", SITE_HOST, "/healthz")
    results.check(
        "/healthz through nginx: 200 ok, no detail",
        public.status == 200 and json.loads(public.body) == {"status": "ok"},
        public.body[:100].decode(),
    )
    status, detail = health_detail(stack)
    results.check(
        "/healthz with the token names the services", status == 200 and "checks" in detail, json.dumps(detail)[:200]
    )
    for browser in (anonymous, learner, coach):
        browser.close()
    return {"player": player, "learner": learner}


def card_sheet(coach: loadlib.Browser, learner_ids: list[int], wait: float = 90) -> dict:
    groups = coach.request("GET", SITE_HOST, "/nl/coach/groups/")
    group = re.search(rb'href="/nl/coach/groups/(\d+)/"', groups.body)
    if not group:
        return {"detail": f"no group link ({groups.status})"}
    base = f"/nl/coach/groups/{group.group(1).decode()}/cards/"
    form = coach.request("GET", SITE_HOST, base)
    fields = [("csrfmiddlewaretoken", form_token(form.body)), ("confirm", "on")]
    fields += [("learners", str(pk)) for pk in learner_ids]
    started = time.monotonic()
    made = post_form(coach, base, fields)
    location = made.header("Location") or ""
    if made.status != 302 or not location:
        return {"detail": f"asking for a sheet: {made.status}"}
    deadline = started + wait
    while time.monotonic() < deadline:
        status = coach.request("GET", SITE_HOST, location + "?fragment=1")
        link = re.search(rb'href="([^"]+sheet\.pdf)"', status.body)
        if link:
            pdf = coach.request("GET", SITE_HOST, link.group(1).decode())
            ok = pdf.status == 200 and pdf.body.startswith(b"%PDF") and pdf.header("Content-Type") == "application/pdf"
            return {"pdf": ok, "seconds": round(time.monotonic() - started, 1), "sheet": location,
                    "detail": f"{pdf.status} {pdf.header('Content-Type')} {len(pdf.body)} bytes"}  # fmt: skip
        time.sleep(0.5)
    return {"detail": f"no PDF within {wait:.0f} s", "sheet": location}


# --- Faults under load -----------------------------------------------------------------------------------


def statements_stored(ids: set[str]) -> int:
    import psycopg

    if not ids:
        return 0
    with psycopg.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname=DB_NAME, connect_timeout=10) as conn:
        return conn.execute(
            "SELECT count(*) FROM progress_statement WHERE id = ANY(%s::uuid[])", (list(ids),)
        ).fetchone()[0]


def db_value(sql: str, database: str = DB_NAME):
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname=database, connect_timeout=5) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


class Fault:
    """One fault under the load: baseline, the fault (`action`, which returns when the service is back and
    says when that was), a quiet time to see recovery, then the learners send what they still hold."""

    baseline = 10.0  # every learner has sent a batch before the fault
    observe = 12.0

    def __init__(self, results: Results, stack: Stack, fx: dict, title: str):
        self.results, self.stack, self.fx, self.title = results, stack, fx, title
        self.notes: list[str] = []

    def action(self) -> float:
        raise NotImplementedError

    def run(self) -> dict:
        self.results.start(f"Fault: {self.title}")
        load = loadlib.Load(self.stack.nginx, SITE_HOST, self.fx, learners=LEARNERS, think=THINK).start()
        time.sleep(self.baseline)
        started = time.monotonic()
        try:
            restored_at = self.action()
        except Exception as error:  # noqa: BLE001 — reported as this fault's failure; the others still run
            load.stop()
            self.results.error(f"{self.title}: the fault could not be run", error)
            return {"title": self.title, "error": str(error)}
        time.sleep(self.observe)
        ended = time.monotonic()
        load.stop()
        events = load.recorder.events
        before = loadlib.summary(events, started - self.baseline, started)
        during = loadlib.summary(events, started, ended)
        acked, sent = load.recorder.acknowledged, load.recorder.sent
        figures = {
            "title": self.title,
            "before": before,
            "during": during,
            "fault_seconds": round(restored_at - started, 1),
            "recovery_seconds": round(during["last_failure"] - started, 1) if during["last_failure"] else 0.0,
            "after_back_seconds": round(max(0.0, (during["last_failure"] or 0) - restored_at), 1)
            if during["last_failure"]
            else 0.0,
            "sent": len(sent),
            "acknowledged": len(acked),
            "acknowledged_stored": statements_stored(acked),
            "sent_stored": statements_stored(sent),
            "duplicates_answered": load.recorder.duplicates,
            "notes": self.notes
            + [
                f"1-minute load average of the machine at the end: {os.getloadavg()[0]:.1f} "
                f"({os.cpu_count()} cores, shared with other work)"
            ],
        }
        log(f"{self.title}: {json.dumps({k: v for k, v in figures.items() if k not in ('before',)}, default=str)}")
        self.results.check(f"{self.title}: every acknowledged statement stored (none lost)",
                           figures["acknowledged_stored"] == figures["acknowledged"],
                           f"{figures['acknowledged_stored']} of {figures['acknowledged']}")  # fmt: skip
        self.results.check(
            f"{self.title}: every statement sent was finally acknowledged (retries)",
            figures["acknowledged"] == figures["sent"],
            f"{figures['acknowledged']} of {figures['sent']}",
        )
        self.requirements(figures)
        lost = during["signed_out_learners"] or any(
            " 401" in kind or " 403" in kind for kind in during["failed_by_kind"]
        )
        if lost:
            self.fx["learners"] = self.stack.new_sessions()
            log("the load's learners were signed out: signed in again for the next fault")
        return figures

    def requirements(self, figures: dict) -> None:
        during = figures["during"]
        self.results.check(
            f"{self.title}: no failed request seen by learners",
            during["failed"] == 0,
            json.dumps(during["failed_by_kind"]),
        )
        self.results.check(
            f"{self.title}: nobody signed out",
            during["signed_out_learners"] == 0,
            f"{during['signed_out_learners']} learners",
        )


class GunicornStop(Fault):
    """One application host stopped (as `systemctl stop`: TERM, running requests finish), then started again."""

    def action(self) -> float:
        self.stack.procs.stop("gunicorn-1")
        stopped = time.monotonic()
        time.sleep(12)
        self.stack.gunicorn_start(0)
        self.notes.append(f"gunicorn-1 stopped (TERM, as systemctl stop) and started again {time.monotonic() - stopped:.0f} s "
                          "later; meanwhile gunicorn-2 served alone")  # fmt: skip
        return time.monotonic()


class RedisDown(Fault):
    """Redis (cache, session copies, broker) killed with -9 for 30 s, then started again from its disk."""

    def action(self) -> float:
        # A list stands for the Celery queue (a Redis list too): with appendonly it must survive kill -9.
        self.stack.redis_command("DEL", "deploy-check:queue")
        for number in range(26):
            self.stack.redis_command("RPUSH", "deploy-check:queue", f"task {number}")
        time.sleep(1.5)  # appendfsync everysec
        self.stack.procs.kill9("redis")
        killed = time.monotonic()
        time.sleep(min(8.0, REDIS_DOWN_SECONDS / 2))
        try:
            _browser, done = learner_sign_in(self.stack.nginx, self.fx["learner_code"], self.fx["learner_pin"])
            self.sign_in = (done.status, done.header("Location"))
        except Exception as error:  # noqa: BLE001 — reported below
            self.sign_in = (0, repr(error))
        self.health = health_detail(self.stack)
        time.sleep(max(0.0, REDIS_DOWN_SECONDS - (time.monotonic() - killed)))
        self.stack.redis_start()
        self.queued = self.stack.redis_command("LLEN", "deploy-check:queue").decode()
        self.notes.append(f"26 queued items before the kill, after the restart: {self.queued.lstrip(':')}")
        self.notes.append(f"code + PIN sign-in with Redis down: {self.sign_in[0]} {self.sign_in[1]}")
        self.notes.append(f"/healthz with Redis down: {self.health[0]} {json.dumps(self.health[1])[:200]}")
        return time.monotonic()

    def requirements(self, figures: dict) -> None:
        during = figures["during"]
        pages = {k: v for k, v in during["failed_by_kind"].items() if not k.startswith("statements")}
        self.results.check("Redis down: lessons still served (anonymous and signed in)", not pages, json.dumps(pages))
        self.results.check(
            "Redis down: nobody signed out",
            during["signed_out_learners"] == 0,
            f"{during['signed_out_learners']} learners",
        )
        self.results.check(
            "Redis down: code + PIN sign-in still works (never a 500)",
            self.sign_in[0] == 302 and "/login/" not in str(self.sign_in[1]),
            f"{self.sign_in[0]} {self.sign_in[1]}",
        )
        self.results.check("Redis down: the queue survives (appendonly)", self.queued == ":26", self.queued)
        statements = {k: v for k, v in during["failed_by_kind"].items() if k.startswith("statements")}
        self.results.check(
            "Redis down: statements still stored while it is down", not statements, json.dumps(statements)
        )


def _worker_reported_missing(detail: dict) -> bool:
    checks = detail.get("checks", {}) if isinstance(detail, dict) else {}
    return any(
        "worker" in name and isinstance(value, dict) and value.get("ok") is False for name, value in checks.items()
    )


class WorkerKilled(Fault):
    """The only running Celery worker killed with -9 in the middle of a card-sheet task, started again 5 s
    later (systemd's RestartSec); the task must run again (acks_late + visibility timeout)."""

    observe = 5.0

    def action(self) -> float:
        stack = self.stack
        stack.procs.stop("worker-2")  # so worker-1 is the one that takes the task
        coach, _done = password_sign_in(stack.nginx, self.fx["coach"]["username"], self.fx["coach"]["password"])
        threading.Thread(target=lambda: setattr(self, "sheet", card_sheet(coach, self.fx["card_learners"][2:], 180)),
                         daemon=True).start()  # fmt: skip
        # A run holds its sheet with a row lock (SELECT ... FOR UPDATE) for as long as it works on it.
        wait_for("a card sheet being made", lambda: db_value(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND mode = 'RowShareLock' "
            "AND relation = 'coaching_cardsheet'::regclass") not in (None, 0, "0"), 60, 0.02)  # fmt: skip
        stack.procs.kill9("worker-1")
        killed = time.monotonic()
        self.beat_alive = stack.procs.alive("beat")
        time.sleep(5)
        self.health_gone = health_detail(stack)
        if not _worker_reported_missing(self.health_gone[1]):
            time.sleep(20)  # the heartbeat's TTL
            self.health_gone = health_detail(stack)
        stack.worker_start(1)
        stack.worker_start(2)
        back = time.monotonic()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not hasattr(self, "sheet"):
            time.sleep(0.5)
        self.sheet = getattr(self, "sheet", {"detail": "no answer"})
        self.rerun_seconds = round(time.monotonic() - killed, 1)
        beats = subprocess.run(["pgrep", "-fc", "celery -A learn beat"], capture_output=True, text=True).stdout.strip()
        self.notes.append(
            f"card sheet interrupted by kill -9: {self.sheet.get('detail')}"
            + (f"; the PDF came {self.rerun_seconds} s after the kill" if self.sheet.get("pdf")
               else f"; no PDF {self.rerun_seconds} s after the kill")
        )  # fmt: skip
        self.notes.append(f"/healthz with no worker: {self.health_gone[0]} {json.dumps(self.health_gone[1])[:240]}")
        self.notes.append(f"beat processes afterwards: {beats} (beat alive through the kill: {self.beat_alive})")
        self.beats = beats
        coach.close()
        return back

    def requirements(self, figures: dict) -> None:
        super().requirements(figures)
        self.results.check(
            "worker killed: the interrupted task ran again and the PDF came",
            self.sheet.get("pdf", False),
            f"{self.rerun_seconds} s after the kill",
        )
        self.results.check(
            "worker killed: beat runs on as its own single process",
            self.beat_alive and self.beats == "1",
            f"{self.beats} beat process(es)",
        )
        self.results.check(
            "worker killed: /healthz shows the missing worker",
            _worker_reported_missing(self.health_gone[1]),
            json.dumps(self.health_gone[1])[:200],
        )


class PostgresRestart(Fault):
    def action(self) -> float:
        begun = time.monotonic()
        self.stack.postgres_ctl("restart")
        self.restart_seconds = round(time.monotonic() - begun, 1)
        self.notes.append(f"pg_ctl restart -m fast took {self.restart_seconds} s")
        return time.monotonic()

    def requirements(self, figures: dict) -> None:
        during = figures["during"]
        self.results.check("PostgreSQL restart: failures only during the restart (+1 s)",
                           figures["after_back_seconds"] <= 1.0,
                           f"{during['failed']} failed, last {figures['after_back_seconds']} s after it was back; "
                           f"{json.dumps(during['failed_by_kind'])}")  # fmt: skip
        self.results.check(
            "PostgreSQL restart: nobody signed out",
            during["signed_out_learners"] == 0,
            f"{during['signed_out_learners']} learners",
        )


class StalledUploads(Fault):
    """8 uploads that send half their body and stop (a phone losing signal), held open for 20 s."""

    def action(self) -> float:
        sockets = []
        chunk = b"x" * 65536
        for _ in range(8):
            conn = self.stack.nginx.connection(SITE_HOST, timeout=30)
            conn.connect()
            conn.sock.sendall((f"POST /nl/account/login/ HTTP/1.1\r\nHost: {SITE_HOST}:{HTTPS_PORT}\r\n"
                               "Content-Type: application/octet-stream\r\nContent-Length: 8388608\r\n\r\n").encode())  # fmt: skip
            for _ in range(64):  # 4 MiB of 8
                conn.sock.sendall(chunk)
            sockets.append(conn)
        began = time.monotonic()
        time.sleep(20)
        for conn in sockets:
            conn.close()
        self.notes.append("8 connections each sent 4 MiB of an 8 MiB body and stalled for 20 s")
        return began + 20

    def requirements(self, figures: dict) -> None:
        super().requirements(figures)
        before, during = figures["before"]["page_p95_ms"], figures["during"]["page_p95_ms"]
        self.results.check(
            "stalled uploads: pages as fast as before (p95 at most 3x, or under 300 ms)",
            during is not None and (during <= 300 or (before and during <= 3 * before)),
            f"p95 before {before} ms, during {during} ms",
        )


# --- Backup and restore ----------------------------------------------------------------------------------


def check_restore(results: Results, stack: Stack, fx: dict) -> dict:
    results.start("Backup restored into a fresh database and folders")
    started = time.monotonic()
    folder = stack.manage("backup", "backup", env=stack.env).strip().splitlines()[-1]
    backup_seconds = round(time.monotonic() - started, 1)
    manifest = json.loads((Path(folder) / "manifest.json").read_text())
    results.check(
        "manage.py backup wrote a manifest with checksums",
        all(len(item["sha256"]) == 64 for item in manifest["files"]),
        ", ".join(f"{item['name']} {item['bytes']} B" for item in manifest["files"]),
    )
    stack.psql(f'CREATE DATABASE "{RESTORED_DB}"')
    restored = {**stack.env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{RESTORED_DB}",
                "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/1", "CACHE_KEY_PREFIX": "restored"}  # fmt: skip
    for name, setting in (("private", "PRIVATE_MEDIA_ROOT"), ("h5p", "H5P_ROOT"), ("media", "MEDIA_ROOT")):
        restored[setting] = str(stack.temp / "restored" / name)
    started = time.monotonic()
    stack.manage("restore", "restore", folder, env=restored)
    restore_seconds = round(time.monotonic() - started, 1)
    results.check("manage.py restore verified the checksums and restored", True, f"{restore_seconds} s")
    pdf = fx["certificate"]["pdf"]
    same = (Path(restored["PRIVATE_MEDIA_ROOT"]) / pdf).read_bytes() == (
        Path(stack.env["PRIVATE_MEDIA_ROOT"]) / pdf
    ).read_bytes()
    results.check("the certificate PDF is in the restored private folder, byte for byte", same, pdf)

    # The restored copy replaces both application hosts behind the same nginx.
    stack.procs.stop("gunicorn-1")
    stack.procs.stop("gunicorn-2")
    stack.gunicorn_start(0, env=restored)
    learner, done = learner_sign_in(stack.nginx, fx["learner_code"], fx["learner_pin"])
    mine = learner.request("GET", SITE_HOST, "/nl/my-learning/")
    title = fx["lessons"][0]["title"].encode()
    results.check(
        "restored: the learner signs in with code + PIN and sees their progress",
        done.status == 302 and mine.status == 200 and title in mine.body,
        f"{done.status} / {mine.status}",
    )
    anonymous = loadlib.Browser(stack.nginx)
    check_page = anonymous.request("GET", SITE_HOST, fx["certificate"]["url"])
    results.check("restored: the certificate's public check page", check_page.status == 200
                  and fx["certificate"]["holder"].encode() in check_page.body, str(check_page.status))  # fmt: skip
    lesson = learner.request("GET", SITE_HOST, fx["h5p"]["lesson_url"])
    src = re.search(rb'src="(https://[^"]+/h5p/play/[^"]+)"', lesson.body)
    ok = False
    if src:
        from html import unescape
        from urllib.parse import urlsplit

        url = urlsplit(unescape(src.group(1).decode()))
        play = anonymous.request("GET", PLAYER_HOST, f"{url.path}?{url.query}")
        content = anonymous.request("GET", PLAYER_HOST, f"/h5p/files/content/{fx['h5p']['key']}/content/content.json")
        library = re.search(rb'(/h5p/files/libraries/[^"\']+\.js)', play.body)
        ok = play.status == 200 and content.status == 200
        if library:
            ok = ok and anonymous.request("GET", PLAYER_HOST, library.group(1).decode()).status == 200
    results.check("restored: the H5P exercise plays (player page and its files)", ok)
    learner.close()
    anonymous.close()
    return {"backup_seconds": backup_seconds, "restore_seconds": restore_seconds,
            "bytes": sum(item["bytes"] for item in manifest["files"])}  # fmt: skip


# --- Report ----------------------------------------------------------------------------------------------


def _fmt_kinds(kinds: dict) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in kinds.items()) or "none"


def results_section(results: Results, faults: list[dict], timings: dict, restore: dict | None) -> str:
    from harness import machine  # bench/harness/machine.py

    lines = [
        "## Production set-up: faults under load (deploy-check)",
        "",
        f"Written by `make deploy-check` (deploy/check.py) on {time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}, "
        f"on {os.cpu_count()} cores ({machine.cpu_model()}). The stack: Debian's nginx (TLS, the site and the H5P "
        "player origin) in front of two gunicorn instances (2 workers x 4 threads each, deploy/gunicorn.conf.py), "
        "two Celery workers and one beat, one PostgreSQL 15 cluster and one redis-server (appendonly) of its "
        f"own, all on loopback. Load: {LEARNERS} signed-in learners (each opens a lesson, reads {THINK[0]:.0f}-{THINK[1]:.0f} s, sends the "
        "lesson's statements as one batch with ids chosen once, and sends it again after a failure, 0.25 s "
        "doubling to 4 s) and 5 anonymous visitors; deploy/load.py.",
        "",
        "| fault | requests during | failed (seen by learners) | signed out | last failure, s after the fault began "
        "| service back after | statements sent / acknowledged / stored | resent, answered as duplicates "
        "| page p95 before / during |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fault in faults:
        if "during" not in fault:
            lines.append(f"| {fault['title']} | could not run: {fault.get('error', '')[:120]} | | | | | | | |")
            continue
        during, before = fault["during"], fault["before"]
        lines.append(
            f"| {fault['title']} | {during['requests']} | {during['failed']} ({_fmt_kinds(during['failed_by_kind'])}) "
            f"| {during['signed_out_learners']} | {fault['recovery_seconds'] if during['failed'] else '-'} "
            f"| {fault['fault_seconds']} s | {fault['sent']} / {fault['acknowledged']} / {fault['sent_stored']} "
            f"| {fault['duplicates_answered']} | {before['page_p95_ms']} / {during['page_p95_ms']} ms |"
        )
    lines += [
        "",
        "Failed: an answer other than 2xx/3xx, or none within 30 s (progress.js's time-out). Stored: rows of "
        "`progress_statement` with the ids sent; a statement's id is its primary key, so a batch sent again is "
        "stored once and the answer names the duplicates (never a double). Page p95 is of all lesson requests "
        "(signed in and anonymous) and includes waiting for the machine's 2 cores, which other work shared.",
        "",
        "What each fault showed:",
        "",
    ]
    for fault in faults:
        for note in fault.get("notes", []):
            lines.append(f"- {fault['title']}: {note}")
    lines += [
        "",
        "Checks against issue 20 (each line is a check of the run; FAIL means the requirement is not met):",
        "",
    ]
    for section, name, ok, detail in results.items:
        if section.startswith("Fault") or section.startswith("Backup"):
            lines.append(
                f"- {'PASS' if ok else '**FAIL**'} {name}" + (f" ({detail[:160]})" if detail and not ok else "")
            )
    if restore:
        lines += ["", f"Backup: {restore['bytes']:,} bytes written in {restore['backup_seconds']} s; restored into a fresh "
                  f"database and folders in {restore['restore_seconds']} s (demo content plus the check's data)."]  # fmt: skip
    lines += ["", "Timings: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()) + "."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the deploy/ set-up for real and check it through nginx.")
    parser.add_argument("--quick", action="store_true", help="only the checks through nginx and the gunicorn stop")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    for tool in ("nginx", "openssl", "redis-server", "pg_dump", "runuser"):
        if not shutil.which(tool):
            print(f"deploy-check needs {tool} (Debian: see .ci/run)", file=sys.stderr)
            return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.log"):
        old.unlink()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    results, procs, timings = Results(), Procs(), {}
    temp = Path(tempfile.mkdtemp(prefix="oef-deploy-check-"))
    os.chmod(temp, 0o755)
    stack = None
    begun = time.monotonic()
    faults: list[dict] = []
    restore = None
    try:
        stack = Stack(temp, procs)
        step = time.monotonic()
        stack.postgres_start()
        stack.redis_start()
        fx = stack.setup()
        timings["setup"] = time.monotonic() - step
        step = time.monotonic()
        stack.certificates()
        for number in (0, 1):
            stack.gunicorn_start(number)
        for number in (1, 2):
            stack.worker_start(number)
        stack.beat_start()
        site_conf = stack.nginx_start()
        results.check("every unit reads the one environment file", all(
            unit_env_file(unit) == "/etc/oefenplein/env" for unit in os.listdir(DEPLOY / "systemd")))  # fmt: skip
        timings["start"] = time.monotonic() - step
        step = time.monotonic()
        check_site(results, stack, fx, site_conf)
        timings["checks through nginx"] = time.monotonic() - step
        step = time.monotonic()
        kinds = (
            [GunicornStop] if args.quick else [GunicornStop, RedisDown, WorkerKilled, PostgresRestart, StalledUploads]
        )
        titles = {GunicornStop: "one gunicorn stopped", RedisDown: f"Redis killed for {REDIS_DOWN_SECONDS:.0f} s",
                  WorkerKilled: "Celery worker kill -9 mid-task", PostgresRestart: "PostgreSQL restarted",
                  StalledUploads: "8 stalled uploads"}  # fmt: skip
        for kind in kinds:
            faults.append(kind(results, stack, fx, titles[kind]).run())
            if not all(procs.alive(name) for name in ("nginx", "gunicorn-1", "gunicorn-2", "redis")):
                log("a process of the stack died; see the logs")
        timings["faults"] = time.monotonic() - step
        step = time.monotonic()
        restore = check_restore(results, stack, fx)
        timings["backup and restore"] = time.monotonic() - step
    except KeyboardInterrupt:
        results.check("run", False, "interrupted")
    except Exception as error:  # noqa: BLE001 — reported as a failed check, then everything is stopped
        results.error("the stack", error)
        import traceback

        traceback.print_exc()
    finally:
        procs.stop_all()
        if stack and (stack.pg_dir / "data").exists():
            with contextlib.suppress(Exception):
                stack.postgres_ctl("stop")
        if not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
    timings["total"] = time.monotonic() - begun
    if faults and not args.quick:
        from harness import results as bench_results  # bench/harness/results.py

        bench_results.write_section(RESULTS_MD, results_section(results, faults, timings, restore))
        log(f"figures written to {RESULTS_MD.relative_to(ROOT)}")
    log(f"{len(results.items) - len(results.failed)} passed, {len(results.failed)} failed in {timings['total']:.0f} s")
    for section, name, _ok, detail in results.failed:
        log(f"FAILED [{section}] {name}: {detail}")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
