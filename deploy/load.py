"""A small, bounded load of signed-in learners through nginx, for `make deploy-check` (deploy/check.py).

Each learner is a thread that behaves like one browser tab of progress/static/progress/js/progress.js: it opens
a lesson (signed in, its own session cookie), then sends that lesson's learning records as one batch with
ids chosen once (so a batch sent again is stored once), and sends the same batch again after a failure,
waiting 0.25 s doubling to 4 s (progress.js waits 1 s doubling to 60 s; shorter here so a run ends in
minutes). Between lessons it "reads" for a few seconds, so 100 learners make a steady, bounded load of
about 40 requests a second on loopback. A few anonymous visitors read lessons meanwhile.

Every request is recorded (when, what, status or error), so a fault's window can be read afterwards:
errors seen by learners, when the last one was, which learners were shown signed out, and which statement
ids the server acknowledged.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import socket
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

VERB = "http://adlnet.gov/expapi/verbs/"
SIGNED_IN_MARKER = b"/account/logout/"  # the sign-out form of the page header: shown only when signed in


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    def headers_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]


class Nginx:
    """How to reach the nginx under test: every host name resolves to 127.0.0.1, TLS checked against
    the test CA (so the certificate and its name really are verified)."""

    def __init__(self, port: int, ca_file: str):
        self.port = port
        self.ca_file = ca_file
        self._context: ssl.SSLContext | None = None

    @property
    def context(self) -> ssl.SSLContext:
        if self._context is None:  # the CA is made after this object
            self._context = ssl.create_default_context(cafile=self.ca_file)
        return self._context

    def connection(self, host: str, timeout: float = 30) -> http.client.HTTPSConnection:  # progress.js: 30 s
        nginx = self

        class Connection(http.client.HTTPSConnection):
            def connect(self):
                sock = socket.create_connection(("127.0.0.1", nginx.port), self.timeout)
                self.sock = nginx.context.wrap_socket(sock, server_hostname=host)

        return Connection(host, nginx.port, timeout=timeout)


class Browser:
    """One person's cookies and keep-alive connections (one per host)."""

    def __init__(self, nginx: Nginx, cookies: dict[str, dict[str, str]] | None = None):
        self.nginx = nginx
        self.cookies = cookies or {}  # host -> name -> value
        self.connections: dict[str, http.client.HTTPSConnection] = {}

    def request(self, method: str, host: str, path: str, body: bytes | None = None,
                headers: dict | None = None, cookies: bool = True) -> Response:  # fmt: skip
        headers = {"Accept-Language": "nl", "Accept-Encoding": "identity", **(headers or {})}
        jar = self.cookies.setdefault(host, {})
        if cookies and jar:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile: once more, new
            conn = self.connections.get(host) or self.nginx.connection(host)
            self.connections[host] = conn
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                response = Response(raw.status, raw.getheaders(), raw.read())
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                self.connections.pop(host, None)
                if attempt == 2:
                    raise
        if cookies:
            for value in response.headers_all("Set-Cookie"):
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ("", '""') or "max-age=0" in value.lower():
                    jar.pop(name, None)
                else:
                    jar[name] = cookie_value
        if (response.header("Connection") or "").lower() == "close":
            self.close(host)
        return response

    def close(self, host: str | None = None) -> None:
        for name in [host] if host else list(self.connections):
            conn = self.connections.pop(name, None)
            if conn:
                conn.close()


@dataclass
class Event:
    at: float  # time.monotonic()
    learner: int  # -1: an anonymous visitor
    kind: str  # "page", "anonymous", "statements"
    status: int  # 0: no HTTP answer (connection error)
    detail: str = ""
    signed_out: bool = False
    seconds: float = 0.0


@dataclass
class Recorder:
    events: list[Event] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)  # statement ids sent at least once
    acknowledged: set[str] = field(default_factory=set)  # ids of batches answered 200
    duplicates: int = 0  # statements a 200 answer named as stored before (a batch sent again after a lost answer)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def lesson_batch(lesson: dict, rng: random.Random) -> list[dict]:
    """What a learner's browser sends for one lesson: experienced, an answer per question, completed."""
    now = datetime.now(UTC)
    items = [("experienced", lesson["id"], None)]
    for question in lesson["questions"]:
        items.append(("answered", question["id"], {"response": str(question["correct"])}))
    items.append(("completed", lesson["id"], {"completion": True, "duration": f"PT{rng.randint(60, 600)}S"}))
    statements = []
    for offset, (verb, object_id, result) in enumerate(items):
        statement = {
            "id": str(uuid.uuid4()),
            "timestamp": _iso(now.replace(microsecond=0) if offset == 0 else now),
            "verb": {"id": VERB + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": object_id},
        }
        if result:
            statement["result"] = result
        statements.append(statement)
    return statements


class Load:
    """Learners and anonymous visitors, each a thread, until stop()."""

    def __init__(self, nginx: Nginx, host: str, setup: dict, learners: int = 100, visitors: int = 5,
                 think: tuple[float, float] = (2.0, 4.0), seed: int = 1):  # fmt: skip
        self.nginx, self.host, self.setup, self.think = nginx, host, setup, think
        self.recorder = Recorder()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._learner, args=(number, seed), daemon=True)
                        for number in range(min(learners, len(setup["learners"])))]  # fmt: skip
        self.threads += [threading.Thread(target=self._visitor, args=(number, seed), daemon=True)
                         for number in range(visitors)]  # fmt: skip
        self.retry_deadline = 120.0  # after stop(): how long a learner keeps sending its last batch

    def start(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        """No new lessons; every learner sends its unsent batch until acknowledged (or the deadline)."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.retry_deadline + 30)

    def _sleep(self, rng: random.Random) -> None:
        self.stopping.wait(rng.uniform(*self.think))

    def _learner(self, number: int, seed: int) -> None:
        rng = random.Random(seed * 1000 + number)
        learner = self.setup["learners"][number]
        browser = Browser(self.nginx, {self.host: {self.setup["session_cookie"]: learner["session"],
                                                   self.setup["csrf_cookie"]: learner["csrf"]}})  # fmt: skip
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   self.setup["csrf_header"]: learner["csrf"], "Origin": self.setup["site_origin"],
                   "Referer": self.setup["site_origin"] + "/"}  # fmt: skip
        self.stopping.wait(rng.uniform(0, self.think[1]))  # not all at once
        while not self.stopping.is_set():
            lesson = rng.choice(self.setup["lessons"])
            self._get(browser, number, "page", lesson["url"])
            batch = lesson_batch(lesson, rng)
            self._sleep(rng)
            self._send(browser, number, batch, headers, rng)
        browser.close()

    def _get(self, browser: Browser, number: int, kind: str, path: str) -> None:
        started = time.monotonic()
        try:
            response = browser.request("GET", self.host, path, cookies=kind == "page")
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(Event(time.monotonic(), number, kind, 0, type(error).__name__))
            browser.close()
            return
        signed_out = kind == "page" and response.status == 200 and SIGNED_IN_MARKER not in response.body
        now = time.monotonic()
        self.recorder.add(Event(now, number, kind, response.status, signed_out=signed_out, seconds=now - started))

    def _send(self, browser: Browser, number: int, batch: list[dict], headers: dict, rng) -> None:
        ids = [statement["id"] for statement in batch]
        with self.recorder.lock:
            self.recorder.sent.update(ids)
        body = json.dumps(batch).encode()
        wait = 0.25
        give_up = None
        while True:
            try:
                response = browser.request("POST", self.host, self.setup["statements_path"], body, headers)
                status, detail = response.status, response.body[:120].decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as error:
                browser.close()
                status, detail = 0, type(error).__name__
            self.recorder.add(Event(time.monotonic(), number, "statements", status, detail if status != 200 else ""))
            if status == 200:
                with self.recorder.lock:
                    self.recorder.acknowledged.update(ids)
                    with contextlib.suppress(ValueError, AttributeError):
                        self.recorder.duplicates += int(json.loads(response.body).get("duplicates", 0))
                return
            if status in (400, 401, 403, 409, 413):  # progress.js gives these up: the batch is refused
                return
            if self.stopping.is_set():
                give_up = give_up or time.monotonic() + self.retry_deadline
                if time.monotonic() > give_up:
                    return
            time.sleep(wait * rng.uniform(0.8, 1.2))
            wait = min(wait * 2, 4.0)

    def _visitor(self, number: int, seed: int) -> None:
        rng = random.Random(seed * 7919 + number)
        browser = Browser(self.nginx)
        while not self.stopping.is_set():
            self._get(browser, -1 - number, "anonymous", rng.choice(self.setup["lessons"])["url"])
            self._sleep(rng)
        browser.close()


def summary(events: list[Event], start: float, end: float) -> dict:
    """What learners saw between start and end (monotonic seconds)."""
    inside = [event for event in events if start <= event.at <= end]
    failed = [event for event in inside if not (200 <= event.status < 400)]
    kinds: dict[str, int] = {}
    for event in failed:
        key = f"{event.kind} {event.status or event.detail}"
        kinds[key] = kinds.get(key, 0) + 1
    signed_out = {event.learner for event in inside if event.signed_out}
    return {
        "requests": len(inside),
        "failed": len(failed),
        "failed_by_kind": dict(sorted(kinds.items())),
        "first_failure": min((event.at for event in failed), default=None),
        "last_failure": max((event.at for event in failed), default=None),
        "signed_out_learners": len(signed_out),
        "statement_posts": sum(1 for event in inside if event.kind == "statements"),
        "pages": sum(1 for event in inside if event.kind in ("page", "anonymous")),
        "page_p95_ms": _p95(
            [event.seconds for event in inside if event.kind in ("page", "anonymous") and event.status]
        ),
    }


def _p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile in ms."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, -(-95 * len(ordered) // 100) - 1)] * 1000, 1)
