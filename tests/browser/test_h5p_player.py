"""An H5P exercise in a lesson, in real Chromium: played on the player's own origin, answered, recorded.

The live server answers on two host names: the site on localhost:<port>, the player on
127.0.0.1:<port> (H5P_PLAYER_ORIGIN), so the browser treats them as two origins and never sends the
site's cookies to the player. The H5P core runs under the player page's Content-Security-Policy.
"""

from urllib.parse import urlsplit

import pytest

from .learners import in_db, learners_made, queue, sign_in, wait_until_sent
from .support import AXE_JS, AXE_TAGS, describe_violations

pytestmark = pytest.mark.browser

AXE_PAGE_JS = """async (tags) => {
    const results = await axe.run({exclude: [['iframe']]}, {runOnly: {type: 'tag', values: tags}, iframes: false});
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
    }));
}"""


@pytest.fixture
def h5p_lesson(site, settings):
    """A Dutch demo lesson with an H5P block (answered counts); the lesson's old body is put back after."""
    from lessons.activities import h5p_activity_id
    from lessons.models import LessonPage
    from tests.h5p.player_support import h5p_block_add, ready_content

    port = urlsplit(site.url).port
    settings.SITE_ORIGIN = site.url
    settings.H5P_PLAYER_ORIGIN = f"http://127.0.0.1:{port}"

    def setup():
        lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("-path").first()
        original = list(lesson.body.raw_data)
        content = ready_content()
        block_id = h5p_block_add(lesson, content)
        lesson = LessonPage.objects.get(pk=lesson.pk)
        return lesson, lesson.url, original, content, block_id, h5p_activity_id(lesson, block_id)

    # Every ORM call (lesson.url included) in a thread of its own: see learners.py.
    lesson, url, original, content, block_id, activity = in_db(setup)

    def teardown():
        page = LessonPage.objects.get(pk=lesson.pk)
        page.body = original
        page.save_revision().publish()
        content.delete()
        # The library was committed by another connection; leave no row behind for later tests.
        from h5p.models import H5PLibrary

        H5PLibrary.objects.filter(machine_name="H5P.OefenVraag", contents__isnull=True).delete()

    try:
        yield {"url": url, "key": lesson.translation_key, "block_id": block_id, "activity": activity}
    finally:
        in_db(teardown)


@pytest.fixture
def make_learner():
    with learners_made() as make:
        yield make


def test_a_learner_plays_an_h5p_exercise_and_it_counts_for_the_lesson(page, site, settings, make_learner, h5p_lesson):
    player_origin = settings.H5P_PLAYER_ORIGIN
    player_requests = []
    page.on(
        "request", lambda request: player_requests.append(request) if request.url.startswith(player_origin) else None
    )
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    learner = make_learner()
    sign_in(page, site, learner)
    assert any(cookie["name"] == "sessionid" for cookie in page.context.cookies(site.url))

    page.goto(site.absolute(h5p_lesson["url"]))
    frame = page.locator("iframe.h5p-frame")
    assert frame.get_attribute("data-h5p-activity") == h5p_lesson["activity"]
    # The frame loads lazily, as a learner scrolls to it (the lesson has a simulator above it).
    frame.scroll_into_view_if_needed()
    player = page.frame_locator("iframe.h5p-frame")
    exercise = player.frame_locator("iframe.h5p-iframe")
    exercise.locator(".oefenvraag-question").wait_for()
    exercise.get_by_role("button", name="Alleen jij").click()
    exercise.locator(".oefenvraag-result").wait_for()

    # The statement is stored for this learner, with the block's activity id, and counts for the lesson.
    from progress.models import LessonProgress, Statement

    def h5p_stored():
        return list(
            Statement.objects.filter(user__username=learner.username, activity_kind="h5p").values(
                "verb", "object_id", "score_scaled", "data"
            )
        )

    for _ in range(60):  # the answer travels frame -> lesson page -> queue -> server
        stored = in_db(h5p_stored)
        answered = [row for row in stored if row["verb"].endswith("/answered")]
        if answered:
            break
        page.wait_for_timeout(250)
    wait_until_sent(page)
    assert answered, f"no H5P answer stored; stored: {stored}; console errors: {errors}"
    assert answered[0]["object_id"] == h5p_lesson["activity"]
    assert answered[0]["score_scaled"] == 1.0
    assert answered[0]["data"]["actor"]["account"]["name"] == learner.public_id
    assert any(row["verb"].endswith("/experienced") for row in stored), "opening the exercise is recorded too"
    progress = in_db(lambda: LessonProgress.objects.get(user__username=learner.username, lesson_key=h5p_lesson["key"]))
    assert progress.answers[h5p_lesson["block_id"]]["last"] is True
    assert progress.answers[h5p_lesson["block_id"]]["evidence"] == "reported"  # the player's word, not checked
    assert progress.best_score > 0
    assert not [text for text in errors if "Content Security Policy" in text], errors

    # The player never got the site's cookies, and has none of its own.
    assert player_requests, "the player origin was never asked for anything"
    for request in player_requests:
        assert "cookie" not in request.all_headers(), request.url
    player_frame = next(f for f in page.frames if f.url.startswith(player_origin + "/h5p/play/"))
    assert player_frame.evaluate("() => document.cookie") == ""
    assert (
        player_frame.evaluate("() => document.querySelector('[name=csrfmiddlewaretoken], meta[name=csrf-token]')")
        is None
    )


def test_a_planted_library_svg_never_runs_with_the_site_origin_or_cookies(
    page, site, settings, make_learner, h5p_lesson
):
    """The library carries planted.svg, which loads planted.js from its own folder; wherever that script
    runs it reports its origin and cookies to /planted-ran. Its files are in H5P_ROOT, outside MEDIA_ROOT:
    on the site's origin (where Django serves /media/ itself, SERVE_MEDIA) no path reaches them; on the
    player's origin the SVG opened as a document is sandboxed; in the exercise it is only an image."""
    player_origin = settings.H5P_PLAYER_ORIGIN
    site_origin = site.url.rstrip("/")
    assert settings.SERVE_MEDIA and urlsplit(player_origin).hostname != urlsplit(site_origin).hostname
    requests = []
    page.context.on("request", lambda request: requests.append(request.url))
    learner = make_learner()
    sign_in(page, site, learner)
    assert any(cookie["name"] == "sessionid" for cookie in page.context.cookies(site.url))

    library = "H5P.OefenVraag-1.0"
    for path in (
        f"/media/h5p/libraries/{library}/planted.svg",
        f"/media/libraries/{library}/planted.svg",
        f"/media/h5p/libraries/{library}/planted.js",
        f"/media/libraries/{library}/planted.js",
    ):
        response = page.goto(site_origin + path)
        assert response.status == 404, path

    response = page.goto(f"{player_origin}/h5p/files/libraries/{library}/planted.svg")
    assert response.status == 200 and response.header_value("content-type") == "image/svg+xml"
    assert "sandbox" in response.header_value("content-security-policy")

    # The exercise still plays, with the SVG as its background image.
    page.goto(site.absolute(h5p_lesson["url"]))
    page.locator("iframe.h5p-frame").scroll_into_view_if_needed()
    exercise = page.frame_locator("iframe.h5p-frame").frame_locator("iframe.h5p-iframe")
    exercise.locator(".oefenvraag-question").wait_for()
    exercise.get_by_role("button", name="Alleen jij").click()
    exercise.locator(".oefenvraag-result").wait_for()
    wait_until_sent(page)

    planted = [url for url in requests if "planted" in url]
    assert f"{player_origin}/h5p/files/libraries/{library}/planted.svg" in planted  # used as an image
    assert not [url for url in planted if "planted-ran" in url], planted  # its script ran nowhere
    assert not [url for url in planted if url.startswith(site_origin) and "/media/" not in url], planted
    assert not [url for url in planted if url.endswith("planted.js") and url.startswith(player_origin)], planted


def test_a_message_from_another_frame_or_origin_is_not_recorded(page, site, make_learner, h5p_lesson):
    learner = make_learner()
    sign_in(page, site, learner)
    page.goto(site.absolute(h5p_lesson["url"]))
    statement = {
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": h5p_lesson["activity"]},
        "result": {"score": {"scaled": 1, "raw": 1, "min": 0, "max": 1}},
    }
    # The lesson page itself posting a message (same origin, not the frame's window) is ignored.
    page.evaluate(
        "(statement) => window.postMessage({type: 'oefenplein:h5p-xapi', statement}, '*')",
        statement,
    )
    page.wait_for_timeout(500)
    assert not [entry for entry in queue(page) if entry["statement"]["verb"]["id"].endswith("/answered")]
    wait_until_sent(page)
    assert not [row for row in learner.stored() if row["verb"].endswith("/answered")]


def test_a_lesson_page_with_an_h5p_exercise_has_no_axe_violations(axe_page, site, h5p_lesson):
    axe_page.goto(site.absolute(h5p_lesson["url"]))
    axe_page.locator("iframe.h5p-frame").scroll_into_view_if_needed()  # it loads lazily
    axe_page.frame_locator("iframe.h5p-frame").frame_locator("iframe.h5p-iframe").locator(
        ".oefenvraag-question"
    ).wait_for()
    axe_page.add_script_tag(path=str(AXE_JS))
    violations = axe_page.evaluate(AXE_PAGE_JS, AXE_TAGS)
    assert violations == [], describe_violations(violations)
