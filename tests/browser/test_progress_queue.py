"""The browser's learning-record queue (progress/static/progress/js/progress.js) in real Chromium.

What a learner relies on: answers given while the server cannot be reached are kept and stored once
when it can again; practice done before signing in is added to the account; a response lost on the
way back (the server stored the batch, the browser saw an error) never makes a retry count twice;
and on a shared computer nobody's records are ever sent in somebody else's name.

These tests write users and learning records; `learners.py` says how that stays out of the way of
the live server and of the other browser tests.
"""

import time
import uuid
from collections import Counter

import pytest

from .learners import (
    LESSON_VERB,
    QUEUE_EMPTY_JS,
    QUEUE_JS,
    SETTLE_MS,
    Learner,
    answer,
    learners_made,
    queue,
    sign_in,
    sign_out,
    wait_until_sent,
)
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser

API = "**/api/progress/statements"
REFUSED_JS = "() => Object.keys(localStorage).filter((key) => key.startsWith('oefenplein.rejected.'))"


@pytest.fixture
def make_learner():
    with learners_made() as make:
        yield make


def learner_entries(page, learner: Learner) -> list[dict]:
    return [entry for entry in queue(page) if entry["owner"] == learner.public_id]


def verbs(entries: list[dict]) -> list[str]:
    return [entry["statement"]["verb"]["id"].removeprefix(LESSON_VERB) for entry in entries]


def test_answers_given_while_the_server_is_unreachable_are_stored_once(page, site, make_learner):
    learner = make_learner()
    tour = site.tour
    question = tour.question
    sign_in(page, site, learner)

    # The connection to the record endpoint drops; the lesson pages themselves still load.
    page.route(API, lambda route: route.abort("internetdisconnected"))
    page.goto(site.absolute(tour.lessons[0]))
    lesson_activity = page.locator("[data-lesson-activity]").get_attribute("data-lesson-activity")
    revision = page.locator("[data-lesson-activity]").get_attribute("data-lesson-revision")
    answer(page, question.block_id, (question.correct_index + 1) % question.option_count)
    answer(page, question.block_id, question.correct_index)
    with page.expect_navigation():
        page.locator("a.pager-next[data-lesson-complete]").click()
    assert page.url == site.absolute(tour.lessons[1])

    queued = queue(page)
    assert verbs(queued) == ["experienced", "answered", "answered", "completed", "experienced"]
    assert {entry["owner"] for entry in queued} == {learner.public_id}
    assert [entry["statement"]["result"]["response"] for entry in queued[1:3]] == [
        str((question.correct_index + 1) % question.option_count),
        str(question.correct_index),
    ]
    # Each answer names the page revision the learner read: the server scores it against that answer key.
    assert revision and revision.isdigit()
    assert [entry["statement"]["context"]["revision"] for entry in queued[1:3]] == [revision, revision]
    assert queued[3]["statement"]["object"]["id"] == lesson_activity
    assert queued[3]["statement"]["result"]["duration"].startswith("PT")
    assert learner.stored() == [], "nothing may have reached the server while it was unreachable"

    # Back online: the "online" event sends the queue at once.
    page.unroute(API)
    page.context.set_offline(True)
    page.context.set_offline(False)
    wait_until_sent(page)

    stored = learner.stored()
    queued_ids = sorted(entry["statement"]["id"] for entry in queued)
    assert sorted(str(row["id"]) for row in stored) == queued_ids
    assert len(stored) == len(set(queued_ids)) == 5
    # Stored once, and judged on evidence: the lesson's other question is not answered, so following
    # "Next lesson" (a bare "completed") does not finish it (issue 12).
    assert learner.lesson_status(uuid.UUID(lesson_activity.rsplit("/", 1)[-1])) == "in_progress"


def practise_as_a_guest(page, site) -> list[dict]:
    """Open the tour's first lesson without signing in and answer its question: two guest entries."""
    question = site.tour.question
    page.goto(site.absolute(site.tour.lessons[0]))
    answer(page, question.block_id, question.correct_index)
    queued = queue(page)
    assert verbs(queued) == ["experienced", "answered"]
    assert {entry["owner"] for entry in queued} == {"guest"}
    assert page.locator('meta[name="csrf-token"]').count() == 0
    return queued


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_practice_as_a_guest_is_added_to_the_account_on_signing_in(page, site, make_learner):
    """Only when the learner says so: "Did you just practise this?" - "Yes, that was me" (by keyboard).

    The guest's entries are kept as the version before kept them (one shared list): they are read in.
    """
    learner = make_learner()
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/api/progress/" in request.url else None)

    queued = practise_as_a_guest(page, site)
    assert sent == [], "a guest's browser never sends records"
    # As the version before kept them (one shared list), which the next page reads in.
    page.evaluate(f"""() => {{
        localStorage.setItem('oefenplein.queue.v1', JSON.stringify(
            ({QUEUE_JS})().map((entry) => ({{owner: entry.owner, statement: entry.statement}}))));
        Object.keys(localStorage).filter((key) => key.startsWith('oefenplein.queue.v2.'))
            .forEach((key) => localStorage.removeItem(key));
    }}""")

    sign_in(page, site, learner, language="en")  # lands on My learning, in English
    dialog = page.get_by_role("dialog", name="Did you just practise this?")
    dialog.wait_for()
    assert focused_text(page) == "Did you just practise this?", "the question gets the focus, not a button"
    assert dialog.locator(".guest-practice-count").inner_text() == "1"
    assert page.evaluate("() => localStorage.getItem('oefenplein.queue.v1')") is None
    assert {entry["owner"] for entry in queue(page)} == {"guest"}, "nothing is attached before the answer"
    assert learner.stored() == []

    page.keyboard.press("Tab")
    assert focused_text(page) == "Yes, that was me"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    wait_until_sent(page)
    assert sorted(str(row["id"]) for row in learner.stored()) == sorted(entry["statement"]["id"] for entry in queued)

    page.reload()  # answered once: not asked again
    assert page.locator("#guest-practice").is_visible() is False


def test_practice_as_a_guest_is_deleted_when_it_was_somebody_else(axe_page, site, make_learner):
    """ "No, not me" deletes it; Escape only closes the question. The open dialog passes axe in nl and ar."""
    page = axe_page
    learner = make_learner()
    practise_as_a_guest(page, site)

    sign_in(page, site, learner)
    page.goto(site.absolute(site.languages["nl"].home))
    dialog = page.get_by_role("dialog", name="Heb je dit net geoefend?")
    dialog.wait_for()
    violations = run_axe(page)
    page.keyboard.press("Escape")  # no answer: nothing happens, the question comes back on the next page
    dialog.wait_for(state="hidden")
    assert {entry["owner"] for entry in queue(page)} == {"guest"}
    assert violations == [], describe_violations(violations)

    page.goto(site.absolute(site.languages["ar"].home))
    dialog = page.get_by_role("dialog", name="هل تدربت على هذا للتو؟")
    dialog.wait_for()
    assert html_lang_and_dir(page) == ("ar", "rtl")
    assert dialog.locator(".guest-practice-titles li").all_inner_texts() == [site.tour.titles[0]]
    assert dialog.locator(".guest-practice-titles li").get_attribute("lang") == "nl", "a Dutch title, read in Dutch"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_text(page) == "لا، لم أكن أنا"
    violations = run_axe(page)  # with the dialog open; it swaps the Arabic words, so it comes after reading them
    assert violations == [], describe_violations(violations)
    page.keyboard.press("Enter")
    page.locator("#guest-practice").wait_for(state="hidden")  # by id: axe changed its Arabic name
    assert queue(page) == []
    assert learner.stored() == []

    page.reload()
    assert page.locator("#guest-practice").is_visible() is False


def test_a_retry_after_a_lost_response_does_not_count_twice(page, site, make_learner):
    learner = make_learner()
    answers = []

    def lose_the_first_two_responses(route):
        """The server stores the batch, but the browser sees a dropped connection (twice)."""
        response = route.fetch()
        answers.append((len(route.request.post_data_json), response.status, response.json()))
        if len(answers) <= 2:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    sign_in(page, site, learner)
    page.route(API, lose_the_first_two_responses)
    page.goto(site.absolute(site.tour.lessons[0]))
    wait_until_sent(page)

    assert len(answers) == 3
    assert [status for _size, status, _body in answers] == [200, 200, 200]
    first_size, _status, first = answers[0]
    assert first == {"stored": first_size, "duplicates": 0}
    for size, _status, body in answers[1:]:
        assert body["stored"] == 0 and body["duplicates"] == size
    stored = learner.stored()
    assert len(stored) == len({row["id"] for row in stored}) == first_size


def test_nobody_sends_records_in_somebody_elses_name(page, site, make_learner):
    """On a shared computer: what is unsent when one learner signs out stays theirs, and only theirs."""
    first, second = make_learner(), make_learner()
    question = site.tour.question
    page.route(API, lambda route: route.abort("internetdisconnected"))

    page.goto(site.absolute(site.tour.lessons[0]))  # as a guest
    sign_in(page, site, first, language="en")
    page.get_by_role("button", name="Yes, that was me").click()
    page.locator("#guest-practice").wait_for(state="hidden")
    page.goto(site.absolute(site.tour.lessons[0]))
    answer(page, question.block_id, question.correct_index)
    sign_out(page)  # the flush fails; signing out still goes on
    queued = queue(page)
    assert verbs(queued) == ["experienced", "experienced", "answered"]
    assert {entry["owner"] for entry in queued} == {first.public_id}, "the guest's entries now belong to `first`"

    page.unroute(API)
    sign_in(page, site, second, language="en")
    page.goto(site.absolute(site.tour.lessons[1]))
    page.wait_for_function(
        f"() => ({QUEUE_JS})().every((entry) => entry.owner === '{first.public_id}')",
        timeout=SETTLE_MS,
    )
    assert verbs(learner_entries(page, second)) == []
    assert [row["verb"].removeprefix(LESSON_VERB) for row in second.stored()] == ["experienced"]
    assert first.stored() == []

    sign_out(page)
    sign_in(page, site, first, language="en")
    wait_until_sent(page)
    assert sorted(str(row["id"]) for row in first.stored()) == sorted(entry["statement"]["id"] for entry in queued)


RECORD_MANY_JS = """([count, activity]) => {
    window.recorded = [];
    window.recording = (async () => {
        for (let i = 0; i < count; i++) {
            window.recorded.push(window.Oefenplein.record({
                verb: {id: "http://adlnet.gov/expapi/verbs/experienced", display: {"en-US": "experienced"}},
                object: {objectType: "Activity", id: activity},
            }));
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
        }
        return window.recorded;
    })();
}"""


def stored_ids(learner: Learner, page) -> list[str]:
    """The ids the server stored for `learner`.

    In-memory SQLite locks a table while the server writes to it, so a read right after the last
    send may have to wait a moment.
    """
    from django.db import OperationalError

    for _try in range(20):
        try:
            return [str(row["id"]) for row in learner.stored()]
        except OperationalError:
            page.wait_for_timeout(250)
    return [str(row["id"]) for row in learner.stored()]


@pytest.mark.parametrize("web_locks", [True, False], ids=["web-locks", "no-web-locks"])
def test_three_tabs_recording_at_once_lose_nothing(page, site, make_learner, web_locks):
    """Three tabs record at the same time, go offline and come back: every statement is stored, once.

    Also in a browser without Web Locks: tabs then take turns through a lease in localStorage.
    """
    learner = make_learner()
    context = page.context
    if not web_locks:
        context.add_init_script("delete Navigator.prototype.locks;")
    sign_in(page, site, learner)
    assert page.evaluate("() => 'locks' in navigator") is web_locks
    tabs = [page, context.new_page(), context.new_page()]
    for tab in tabs:
        tab.goto(site.absolute(site.tour.lessons[0]))  # records "experienced" once per tab
    activity = page.locator("[data-lesson-activity]").get_attribute("data-lesson-activity")
    opened = len(tabs)
    wait_until_sent(page)
    per_tab = 16

    for tab in tabs:
        tab.evaluate(RECORD_MANY_JS, [per_tab, activity])
    page.wait_for_function("() => window.recorded.length >= 4")
    context.set_offline(True)
    page.wait_for_function("() => window.recorded.length >= 10")
    context.set_offline(False)
    recorded = [statement_id for tab in tabs for statement_id in tab.evaluate("() => window.recording")]
    assert len(set(recorded)) == len(tabs) * per_tab == 48

    for tab in tabs:
        wait_until_sent(tab)
    stored = stored_ids(learner, page)
    counts = Counter(stored)
    assert not [statement_id for statement_id in recorded if counts[statement_id] != 1], "lost or stored twice"
    assert len(stored) == opened + len(recorded)
    assert page.evaluate(REFUSED_JS) == []


def test_the_queue_waits_as_long_as_the_server_asks(page, site, make_learner):
    """429 and 503 with Retry-After: the browser waits at least that long, keeps everything, sends it once."""
    learner = make_learner()
    sign_in(page, site, learner)
    answers = [
        {"status": 429, "headers": {"Retry-After": "2"}, "body": '{"error": "Too many"}'},
        {"status": 500, "headers": {}, "body": "Server error"},
        {"status": 503, "headers": {"Retry-After": "1"}, "body": "Busy"},
    ]
    calls = []

    def busy_then_fine(route):
        calls.append((time.monotonic(), sorted(item["id"] for item in route.request.post_data_json)))
        if len(calls) <= len(answers):
            route.fulfill(content_type="application/json", **answers[len(calls) - 1])
        else:
            route.continue_()

    page.route(API, busy_then_fine)
    page.goto(site.absolute(site.tour.lessons[0]))
    queued = queue(page)
    wait_until_sent(page)

    assert len(calls) == 4
    assert calls[1][0] - calls[0][0] >= 2, "Retry-After: 2 means two seconds at least"
    assert calls[3][0] - calls[2][0] >= 1, "Retry-After: 1 means one second at least"
    sent_ids = [ids for _time, ids in calls]
    assert sent_ids == [sent_ids[0]] * 4, "the same statements are kept and sent again"
    assert sorted(str(row["id"]) for row in learner.stored()) == sorted(entry["statement"]["id"] for entry in queued)
    assert page.evaluate(REFUSED_JS) == []


def test_an_answer_is_sent_once_across_the_page_load_that_follows(page, site, make_learner):
    """Answering and "Next lesson" load a new page: what they record is sent from there, once.

    A request with the answer is held until the next page is there, as on a slow connection: a send
    from the page being left would be cut off, and sent again from the next page.
    """
    learner = make_learner()
    question = site.tour.question
    sent, held = [], []

    def hold_the_answer(route):
        statements = route.request.post_data_json
        sent.extend(statement["id"] for statement in statements)
        if not held and any(statement["verb"]["id"].endswith("/answered") for statement in statements):
            held.append(route)
        else:
            route.continue_()

    sign_in(page, site, learner)
    page.route(API, hold_the_answer)
    page.goto(site.absolute(site.tour.lessons[0]))
    wait_until_sent(page)  # a learner takes a moment to answer
    answer(page, question.block_id, question.correct_index)
    page.wait_for_function("() => document.readyState === 'complete'")
    for route in held:
        route.continue_()
    with page.expect_navigation():
        page.locator("a.pager-next[data-lesson-complete]").click()
    wait_until_sent(page)

    stored = learner.stored()
    assert len(held) == 1
    assert sorted(row["verb"].removeprefix(LESSON_VERB) for row in stored) == [
        "answered",
        "completed",
        "experienced",
        "experienced",
    ]
    assert Counter(sent) == Counter(str(row["id"]) for row in stored), "every statement went out in one request"


def test_the_servers_own_overload_answer_is_honoured_and_nothing_counts_twice(page, site, make_learner):
    """The 503 of learn/overload.py itself, not a stand-in: the first post says (X-Request-Start, as nginx
    stamps it) that it waited a minute behind the workers. The server refuses it at once with Retry-After;
    the queue waits that long and sends the same statements again, and they are stored once."""
    learner = make_learner()
    sign_in(page, site, learner)
    calls, answers = [], []

    def first_one_waited_a_minute(route):
        calls.append((time.monotonic(), sorted(item["id"] for item in route.request.post_data_json)))
        headers = dict(route.request.headers)
        if len(calls) == 1:
            headers["x-request-start"] = f"t={time.time() - 60:.3f}"
        route.continue_(headers=headers)

    def on_response(response):
        if "/api/progress/statements" in response.url:
            answers.append((response.status, response.headers.get("retry-after")))

    page.on("response", on_response)
    page.route(API, first_one_waited_a_minute)
    page.goto(site.absolute(site.tour.lessons[0]))
    queued = queue(page)
    page.wait_for_function(QUEUE_EMPTY_JS, timeout=SETTLE_MS + 10_000)

    wait = int(answers[0][1])
    assert answers[0][0] == 503 and wait >= 1
    assert answers[1:] == [(200, None)]
    assert calls[1][0] - calls[0][0] >= wait, "Retry-After is honoured"
    assert calls[1][1] == calls[0][1], "the same statements are sent again"
    assert sorted(str(row["id"]) for row in learner.stored()) == sorted(entry["statement"]["id"] for entry in queued)
