"""The browser's learning-record queue (learn/static/learn/js/progress.js) in real Chromium.

What a learner relies on: answers given while the server cannot be reached are kept and stored once
when it can again; practice done before signing in is added to the account; a response lost on the
way back (the server stored the batch, the browser saw an error) never makes a retry count twice;
and on a shared computer nobody's records are ever sent in somebody else's name.

These tests write users and learning records; `learners.py` says how that stays out of the way of
the live server and of the other browser tests.
"""

import uuid

import pytest

from .learners import (
    LESSON_VERB,
    QUEUE_KEY,
    SETTLE_MS,
    Learner,
    answer,
    learners_made,
    queue,
    sign_in,
    sign_out,
    wait_until_sent,
)

pytestmark = pytest.mark.browser

API = "**/api/progress/statements"


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


def test_practice_as_a_guest_is_added_to_the_account_on_signing_in(page, site, make_learner):
    learner = make_learner()
    question = site.tour.question
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/api/progress/" in request.url else None)

    page.goto(site.absolute(site.tour.lessons[0]))
    answer(page, question.block_id, question.correct_index)
    queued = queue(page)
    assert verbs(queued) == ["experienced", "answered"]
    assert {entry["owner"] for entry in queued} == {"guest"}
    assert sent == [], "a guest's browser never sends records"
    assert page.locator('meta[name="csrf-token"]').count() == 0

    sign_in(page, site, learner)
    wait_until_sent(page)
    assert sorted(str(row["id"]) for row in learner.stored()) == sorted(entry["statement"]["id"] for entry in queued)


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
    sign_in(page, site, first)
    page.goto(site.absolute(site.tour.lessons[0]))
    answer(page, question.block_id, question.correct_index)
    sign_out(page)  # the flush fails; signing out still goes on
    queued = queue(page)
    assert verbs(queued) == ["experienced", "experienced", "answered"]
    assert {entry["owner"] for entry in queued} == {first.public_id}, "the guest's entries now belong to `first`"

    page.unroute(API)
    sign_in(page, site, second)
    page.goto(site.absolute(site.tour.lessons[1]))
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('{QUEUE_KEY}')).every((entry) => entry.owner === '{first.public_id}')",
        timeout=SETTLE_MS,
    )
    assert verbs(learner_entries(page, second)) == []
    assert [row["verb"].removeprefix(LESSON_VERB) for row in second.stored()] == ["experienced"]
    assert first.stored() == []

    sign_out(page)
    sign_in(page, site, first)
    wait_until_sent(page)
    assert sorted(str(row["id"]) for row in first.stored()) == sorted(entry["statement"]["id"] for entry in queued)
