"""Locust file of bench/learners_load.py: signed-in learners at a surf point, one action every 10 s each.

Not run on its own: learners_load.py starts `locust -f bench/locust_learners.py --headless` with
BENCH_LOAD_DATA (the learners and pages it prepared, JSON) and BENCH_LOAD_OUT (where this file writes every
request, the step boundaries and the statement accounting when the test stops).

A learner (one Locust user, its own cookies):

1. signs in through the real form: GET /nl/account/login/, POST the learner code with the form's CSRF token,
   GET the PIN page it is sent to, POST the PIN (checked with the site's PIN hasher, as for every learner);
2. then, one action every 10 s (`constant_pacing`), over and over: open a lesson (GET; the page's script
   records "experienced" and sends it), answer each question ("answered", sent at once), finish the lesson
   ("completed"), play a simulator (GET the play page; the engine records "attempted" and sends it).

Statements go the way learn/static/learn/js/progress.js sends them: POST /api/progress/statements, JSON list
of at most 50, Content-Type application/json, X-CSRFToken from the page's <meta name="csrf-token">, each
statement with a stable id. 200: acknowledged and removed from the learner's queue. 429/503 with Retry-After:
kept, and nothing is sent before that time; network errors and other 5xx: kept, sent again with the next
action, with the same ids (the server stores each id once and says "duplicates").

Every request carries `X-Request-Start: t=<now>`, as nginx in front of gunicorn stamps it (deploy/nginx), so
learn/overload.py can refuse a request that already waited too long behind the workers.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import LoadTestShape, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser
from locust.user.wait_time import constant_pacing

DATA = json.loads(Path(os.environ["BENCH_LOAD_DATA"]).read_text(encoding="utf-8"))
OUT = os.environ["BENCH_LOAD_OUT"]
STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "100,200,300,400,500,600,700,800").split(",")]
STEP_SECONDS = float(os.environ.get("BENCH_LOAD_STEP_SECONDS", "60"))
SPAWN_RATE = float(os.environ.get("BENCH_LOAD_SPAWN_RATE", "4"))
PACING = float(os.environ.get("BENCH_LOAD_PACING", "10"))
ENDPOINT = "/api/progress/statements"
VERBS = "http://adlnet.gov/expapi/verbs/"
EXT = "https://oefenplein.mechelen.be/xapi/ext/"
BATCH = 50  # progress.js: 50 statements per request
HIDDEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ACTIVITY = re.compile(r'data-activity="([^"]+)"')

# What every learner did, for the report (one Locust process, so plain module state is shared).
REQUESTS: list[tuple[float, str, float, int, str]] = []  # (started, name, ms, status, error)
STEP_STARTS: dict[int, float] = {}
ACKNOWLEDGED: set[str] = set()
TOLD = {
    "stored": 0,
    "duplicates": 0,
    "resent": 0,
    "retry_after": 0,
    "refused": 0,
    "sessions_lost": 0,
    "sign_in_retries": 0,
}
LOST_AFTER: list[float] = []  # seconds between signing in and finding the session gone
LEFT: dict[str, list] = {}  # learner code -> ids of statements still queued when the test stopped
CODES = iter(DATA["learners"])


@events.request.add_listener
def _on_request(request_type, name, response_time, response, exception, start_time=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    REQUESTS.append(
        (start_time or time.time(), name, response_time, status, type(exception).__name__ if exception else "")
    )


@events.test_stop.add_listener
def _on_stop(environment, **_kwargs):
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump(
            {
                "requests": REQUESTS,
                "step_starts": STEP_STARTS,
                "acknowledged": sorted(ACKNOWLEDGED),
                "told": TOLD,
                "left": LEFT,
                "lost_after": LOST_AFTER,
                "users_at_stop": environment.runner.user_count if environment.runner else 0,
            },
            out,
        )


def stamp() -> dict:
    return {"X-Request-Start": f"t={time.time():.3f}"}


class Learner(FastHttpUser):
    wait_time = constant_pacing(PACING)
    # A surf point's computers: keep-alive connections as a browser keeps them.
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self):
        self.account = next(CODES)
        self.queue: list[dict] = []  # statements waiting for the server, oldest first
        self.not_before = 0.0
        self.token = ""
        self.plan = self._plan()
        time.sleep(random.uniform(0, PACING))  # learners do not all act on the same second
        for _attempt in range(10):
            if self.sign_in():
                return
            TOLD["sign_in_retries"] += 1
        raise StopUser()

    def on_stop(self):
        if self.queue and self.token:
            self.flush(final=True)
        LEFT[self.account["code"]] = [statement["id"] for statement in self.queue]

    # --- signing in through the form -----------------------------------------------------------

    def sign_in(self) -> bool:
        """The four requests of a learner's sign-in. On a 503 with Retry-After the learner waits that long and
        starts again from the form (the busy page's "Try again"); any other failure also starts again."""
        steps = [
            ("GET", "/nl/account/login/", "sign in: form", None),
            ("POST", "/nl/account/login/", "sign in: code", {"learner_code": self.account["code"]}),
            ("GET", "/nl/account/login/learner/", "sign in: PIN form", None),
            ("POST", "/nl/account/login/learner/", "sign in: PIN", {"pin": self.account["pin"]}),
        ]
        token = ""
        for method, path, name, fields in steps:
            if method == "GET":
                answer = self.client.get(path, headers=stamp(), name=name)
                found = HIDDEN.search(answer.text or "") if answer.status_code == 200 else None
                token = found.group(1) if found else ""
            else:
                headers = {**stamp(), "Referer": self.client.base_url + path}
                answer = self.client.post(
                    path,
                    data={"csrfmiddlewaretoken": token, **fields},
                    headers=headers,
                    name=name,
                    allow_redirects=False,
                )
            good = (method == "GET" and token) or (method == "POST" and answer.status_code == 302)
            if not good:
                if answer.status_code == 503 and answer.headers.get("Retry-After"):
                    time.sleep(float(answer.headers["Retry-After"]))
                return False
        self.signed_in_at = time.time()
        self.token = ""
        return True

    def session_lost(self):
        """The server no longer knows this learner (401, or a page without csrf-token): sign in again, as the
        learner would; what is queued stays queued and goes with the next post."""
        TOLD["sessions_lost"] += 1
        LOST_AFTER.append(round(time.time() - self.signed_in_at, 1))
        self.token = ""
        while not self.sign_in():
            TOLD["sign_in_retries"] += 1

    # --- one action every PACING seconds ------------------------------------------------------------

    def _plan(self):
        """Lesson after lesson: open it, answer its questions, finish it, then play a simulator."""
        lessons = DATA["lessons"][:]
        random.shuffle(lessons)
        while True:
            for lesson in lessons:
                yield ("lesson", lesson)
                for question in lesson["questions"]:
                    yield ("answer", question)
                yield ("complete", lesson)
                yield ("simulator", random.choice(DATA["simulators"]))

    @task
    def act(self):
        kind, item = next(self.plan)
        if kind == "lesson":
            self.open_page(item["url"], "lesson page")
            self.record("experienced", item["id"])
        elif kind == "answer":
            right = random.random() < 0.75
            answer = item["correct"] if right else (item["correct"] + 1) % max(item["options"], 2)
            self.record("answered", item["id"], {"response": str(answer)})
        elif kind == "complete":
            self.record("completed", item["id"], {"completion": True, "duration": f"PT{random.randint(60, 600)}S"})
        else:
            activity = self.open_page(item, "simulator page", ACTIVITY)
            if activity:
                context = {
                    "registration": str(uuid.uuid4()),
                    "language": "nl",
                    "extensions": {EXT + "mode": "practice"},
                }
                self.record("attempted", activity, context=context)
        self.flush()

    def open_page(self, url: str, name: str, find: re.Pattern | None = None) -> str:
        with self.client.get(url, headers=stamp(), name=name, catch_response=True) as page:
            text = page.text or ""
            if page.status_code != 200:
                page.failure(f"HTTP {page.status_code}")
                return ""
            meta = META.search(text)
            if not meta:  # no csrf-token: the page was served as to a guest, the session is gone
                page.failure("not signed in")
                self.session_lost()
                return ""
            self.token = meta.group(1)
            found = find.search(text) if find else None
            return found.group(1) if found else ""

    # --- the browser queue --------------------------------------------------------------------------

    def record(self, verb: str, object_id: str, result: dict | None = None, context: dict | None = None):
        statement = {
            "id": str(uuid.uuid4()),
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{int(time.time() * 1000) % 1000:03d}Z",
            "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": object_id},
        }
        if result:
            statement["result"] = result
        if context:
            statement["context"] = context
        self.queue.append(statement)

    def flush(self, final: bool = False):
        if not self.queue or not self.token:
            return
        if time.time() < self.not_before and not final:
            return  # Retry-After: nothing is sent before that time
        batch = self.queue[:BATCH]
        resent = any(statement.get("_sent") for statement in batch)
        for statement in batch:
            statement["_sent"] = True
        body = json.dumps([{k: v for k, v in s.items() if k != "_sent"} for s in batch])
        headers = {**stamp(), "Content-Type": "application/json", "X-CSRFToken": self.token}
        name = "statements (resent)" if resent else "statements"
        if resent:
            TOLD["resent"] += 1
        with self.client.post(ENDPOINT, data=body, headers=headers, name=name, catch_response=True) as answer:
            status = answer.status_code
            if status == 200:
                told = answer.json()
                TOLD["stored"] += told["stored"]
                TOLD["duplicates"] += told["duplicates"]
                ACKNOWLEDGED.update(statement["id"] for statement in batch)
                self.queue = self.queue[len(batch) :]
                answer.success()
            elif status in (429, 503) and answer.headers.get("Retry-After"):
                TOLD["retry_after"] += 1
                self.not_before = time.time() + float(answer.headers["Retry-After"])
                answer.failure(f"{status} Retry-After {answer.headers['Retry-After']}")
            elif status == 400:
                TOLD["refused"] += 1
                index = (answer.json() or {}).get("index", 0)
                self.queue.remove(batch[index if isinstance(index, int) and index < len(batch) else 0])
                answer.failure(f"400 {answer.text[:200]}")
            elif status in (401, 403):
                answer.failure(f"HTTP {status}")
                self.session_lost()  # progress.js stops; the learner signs in again and the queue goes on
            else:
                answer.failure(f"HTTP {status}")  # kept; sent again with the next action, same ids


class Steps(LoadTestShape):
    """100 more learners every STEP_SECONDS, up to the last step, then stop."""

    def tick(self):
        run_time = self.get_run_time()
        step = int(run_time // STEP_SECONDS)
        if step >= len(STEPS):
            return None
        STEP_STARTS.setdefault(step, time.time())
        return STEPS[step], SPAWN_RATE
