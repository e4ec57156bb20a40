"""Signed-in learners for browser tests that write: users, sign-in through the form, the record queue.

The other browser tests only read. These write, and the test's own database connection sits inside
the `db` transaction, which the live server cannot see on PostgreSQL and whose read locks would block
it on in-memory SQLite. So every ORM call here runs in a thread of its own (own connection,
autocommit), as the server's requests do, and `learners_made` deletes the users it made afterwards;
their learning records go with them.
"""

import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections

QUEUE_PREFIX = "oefenplein.queue.v2."  # one localStorage entry per statement (progress/js/progress.js)
LESSON_VERB = "http://adlnet.gov/expapi/verbs/"
# The queued entries {owner, statement, ...} of every tab of this browser, oldest first.
QUEUE_JS = f"""() => Object.keys(localStorage)
    .filter((key) => key.startsWith('{QUEUE_PREFIX}'))
    .map((key) => JSON.parse(localStorage.getItem(key)))
    .sort((a, b) => (a.at || 0) - (b.at || 0) || (a.n || 0) - (b.n || 0))"""
QUEUE_EMPTY_JS = f"() => !Object.keys(localStorage).some((key) => key.startsWith('{QUEUE_PREFIX}'))"
SETTLE_MS = 25_000  # a few retries with back-off (1 s, 2 s, 4 s, with jitter) fit in this


def in_db(function):
    """Run an ORM call in a fresh thread and hand back its result (or raise its error here)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 — re-raised in the test's thread below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@dataclass
class Learner:
    username: str
    password: str
    public_id: str

    def stored(self) -> list[dict]:
        from progress.models import Statement

        return in_db(
            lambda: list(Statement.objects.filter(user__username=self.username).values("id", "verb", "object_id"))
        )

    def lesson_status(self, lesson_key) -> str | None:
        from progress.models import LessonProgress

        return in_db(
            lambda: (
                LessonProgress.objects.filter(user__username=self.username, lesson_key=lesson_key)
                .values_list("status", flat=True)
                .first()
            )
        )


@contextmanager
def learners_made():
    """A factory of learners with a user name and password, committed so the live server sees them."""
    from django.contrib.auth import get_user_model

    made = []

    def make() -> Learner:
        username, password = f"queue-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"
        user = in_db(lambda: get_user_model().objects.create_user(username, password=password))
        made.append(username)
        return Learner(username, password, str(user.public_id))

    try:
        yield make
    finally:
        in_db(lambda: get_user_model().objects.filter(username__in=made).delete())


def sign_in(page, site, learner: Learner, language: str = "nl") -> None:
    """Through the sign-in form with user name and password, like a person at a surf point."""
    page.goto(site.absolute(f"/{language}/account/login/"))
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(learner.username)
    form.locator("input[name=password]").fill(learner.password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("body[data-learner]").get_attribute("data-learner") == learner.public_id


def sign_out(page) -> None:
    with page.expect_navigation():
        page.locator('.site-header form[action$="/account/logout/"] button[type=submit]').click()
    assert page.locator("body[data-learner]").count() == 0


def answer(page, block_id: str, option: int) -> None:
    """Choose an option and press "Check my answer": a normal GET submission that reloads the lesson."""
    question = page.locator(f"#q-{block_id}")
    question.locator(f"#q-{block_id}-{option}").check()
    with page.expect_navigation():
        question.locator("button[type=submit]").click()
    assert page.locator(f"#q-{block_id}-result").count() == 1


def queue(page) -> list[dict]:
    return page.evaluate(QUEUE_JS)


def wait_until_sent(page) -> None:
    page.wait_for_function(QUEUE_EMPTY_JS, timeout=SETTLE_MS)
