"""The H5P player's own origin (h5p/player.py, h5p/player_views.py) and H5P learning records."""

import json
import uuid

import pytest
from django.conf import settings

from h5p.player_views import H5P_FRAME_SCRIPT_HASH
from lessons.activities import h5p_activity_id, lesson_activity_id
from lessons.models import LessonPage
from progress.models import LessonProgress, LessonStatus, Statement

from .player_support import h5p_block_add, ready_content

PLAYER = "localhost:8000"
SITE = "127.0.0.1:8000"
VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture(autouse=True)
def _origins(settings):
    settings.H5P_PLAYER_ORIGIN = f"http://{PLAYER}"
    settings.SITE_ORIGIN = f"http://{SITE}"


@pytest.fixture
def content(db):
    return ready_content()


@pytest.fixture
def h5p_lesson(lesson, content):
    block_id = h5p_block_add(lesson, content)
    return LessonPage.objects.get(pk=lesson.pk), block_id


def play_url(content, activity):
    return f"/h5p/play/{content.key}/?activity={activity}"


def player_get(client, url, **headers):
    return client.get(url, HTTP_HOST=PLAYER, **headers)


# --- The player origin ---------------------------------------------------------------------------


def test_the_player_page_runs_the_exercise_with_its_activity_id(client, h5p_lesson, content):
    lesson, block_id = h5p_lesson
    activity = h5p_activity_id(lesson, block_id)
    response = player_get(client, play_url(content, activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-activity="{activity}"' in html
    assert f'data-site-origin="http://{SITE}"' in html
    assert f'data-h5p-json="/h5p/files/content/{content.key}"' in html
    assert '<script src="/h5p/player-assets/main.bundle.js"' in html
    assert '<script src="/h5p/player-assets/player.js"' in html


def test_the_player_page_has_its_own_content_security_policy(client, h5p_lesson, content):
    lesson, block_id = h5p_lesson
    response = player_get(client, play_url(content, h5p_activity_id(lesson, block_id)))
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "default-src 'self'" in policy
    assert f"script-src 'self' '{H5P_FRAME_SCRIPT_HASH}'" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "form-action 'none'" in policy
    assert f"frame-ancestors http://{SITE}" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in response


def test_the_player_page_sets_no_cookie_and_holds_no_csrf_token_even_with_a_session(client, django_user_model, course):
    learner = django_user_model.objects.create_user("amina", password="een-goed-wachtwoord")
    client.force_login(learner)
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    content = ready_content()
    lesson = LessonPage.objects.live().filter(locale__language_code="nl").first()
    block_id = h5p_block_add(lesson, content)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = player_get(client, play_url(content, h5p_activity_id(lesson, block_id)))
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    html = response.content.decode().lower()
    assert "csrf" not in html
    assert session_cookie not in html
    assert "amina" not in html


def test_the_site_pages_are_not_served_on_the_player_host(client, lesson):
    assert player_get(client, lesson.url).status_code == 404
    assert player_get(client, "/admin/").status_code == 404
    assert player_get(client, "/api/progress/statements").status_code == 404
    assert player_get(client, "/static/lessons/js/lesson.js").status_code == 404
    assert client.get(lesson.url).status_code == 200


def test_healthz_answers_on_both_hosts(client, db):
    assert player_get(client, "/healthz").status_code in (200, 503)
    assert client.get("/healthz").status_code in (200, 503)


def test_the_player_urls_do_not_exist_on_the_site_host(client, h5p_lesson, content):
    lesson, block_id = h5p_lesson
    for url in (
        play_url(content, h5p_activity_id(lesson, block_id)),
        f"/h5p/files/content/{content.key}/h5p.json",
        "/h5p/player-assets/main.bundle.js",
    ):
        # The language middleware first sends the visitor to /nl/...; that does not exist either.
        assert client.get(url, follow=True).status_code == 404, url
        assert client.get(url, HTTP_HOST=SITE, follow=True).status_code == 404, url


def test_no_h5p_file_answers_on_the_site_host_even_when_django_serves_media(client, content, media_root, h5p_root):
    """H5P files live outside MEDIA_ROOT: /media/ on the site's origin has none of them, whatever the path."""
    from django.conf import settings as live_settings

    from .conftest import stored_files

    assert live_settings.SERVE_MEDIA  # the embedded default: Django itself serves /media/
    (media_root / "control.txt").write_text("served")
    assert client.get("/media/control.txt").status_code == 200  # the media route is really there
    (media_root / "control.txt").unlink()
    names = stored_files(h5p_root)
    assert f"libraries/{content.main_library.folder_name}/planted.svg" in names
    for name in names:
        for url in (f"/media/{name}", f"/media/h5p/{name}"):
            assert client.get(url).status_code == 404, url
            assert client.get(url, HTTP_HOST=SITE).status_code == 404, url
    assert not any(str(h5p_root).startswith(str(root)) for root in (media_root, live_settings.STATIC_ROOT))


def test_library_svg_files_are_sandboxed_documents_on_the_player_host(client, content):
    response = player_get(client, "/h5p/files/libraries/H5P.OefenVraag-1.0/planted.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy


def test_h5p_root_inside_media_root_fails_the_system_check(settings, media_root):
    from h5p.storage import check_h5p_root

    settings.H5P_ROOT = str(media_root / "h5p")
    assert [error.id for error in check_h5p_root()] == ["h5p.E001"]
    settings.H5P_ROOT = str(media_root.parent / "elsewhere")
    assert check_h5p_root() == []


def test_the_player_page_needs_a_lesson_activity_id(client, content):
    assert player_get(client, f"/h5p/play/{content.key}/").status_code == 404
    assert player_get(client, play_url(content, "https://evil.example/x")).status_code == 404


def test_the_player_assets_come_from_h5p_standalone(client, db):
    main = player_get(client, "/h5p/player-assets/main.bundle.js")
    assert main.status_code == 200
    assert main["Content-Type"].startswith("text/javascript")
    assert "max-age" in main["Cache-Control"]
    assert main["X-Content-Type-Options"] == "nosniff"
    css = player_get(client, "/h5p/player-assets/styles/h5p.css")
    assert css["Content-Type"].startswith("text/css")
    assert player_get(client, "/h5p/player-assets/player.js").status_code == 200
    for path in ("h5p.d.ts", "../package.json", "../../axe-core/axe.min.js", "main.bundle.js.LICENSE.txt"):
        assert player_get(client, f"/h5p/player-assets/{path}").status_code == 404, path


def test_content_files_are_served_with_safe_types_only_for_ready_content(client, content):
    response = player_get(client, f"/h5p/files/content/{content.key}/h5p.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(b"".join(response.streaming_content))["mainLibrary"] == "H5P.OefenVraag"
    assert player_get(client, f"/h5p/files/content/{content.key}/content/content.json").status_code == 200
    library = player_get(client, "/h5p/files/libraries/H5P.OefenVraag-1.0/oefenvraag.js")
    assert library.status_code == 200
    assert library["Content-Type"].startswith("text/javascript")

    queued = ready_content(status="queued")
    assert player_get(client, f"/h5p/files/content/{queued.key}/h5p.json").status_code == 404
    assert player_get(client, f"/h5p/files/content/{uuid.uuid4()}/h5p.json").status_code == 404


def test_libraries_of_no_ready_content_are_not_served(client, db):
    ready_content(status="rejected")
    assert player_get(client, "/h5p/files/libraries/H5P.OefenVraag-1.0/oefenvraag.js").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../../libraries/H5P.OefenVraag-1.0/oefenvraag.js",
        "content/../h5p.json",
        "content/%2e%2e/%2e%2e/x.json",
        "./h5p.json",
        "content//content.json",
        "content/.hidden.json",
        "content\\content.json",
        "content/page.html",
        "content/image.svg",
        "content/script.js",
        "/etc/passwd",
    ],
)
def test_path_tricks_in_content_file_urls_are_not_found(client, content, path):
    assert player_get(client, f"/h5p/files/content/{content.key}/{path}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/h5p/files/libraries/H5P.OefenVraag-1.0/../../content/x/h5p.json",
        "/h5p/files/libraries/..%2fcontent/h5p.json",
        "/h5p/files/libraries/H5P.OefenVraag-1.0/page.html",
        "/h5p/files/libraries/H5P.Other-1.0/library.json",
        "/h5p/files/libraries/H5P.OefenVraag/library.json",
    ],
)
def test_path_tricks_in_library_file_urls_are_not_found(client, content, url):
    assert player_get(client, url).status_code == 404


def test_a_lesson_frames_a_ready_exercise_from_the_player_origin(client, h5p_lesson, content):
    lesson, block_id = h5p_lesson
    response = client.get(lesson.url)
    html = response.content.decode()
    assert f'src="http://{PLAYER}/h5p/play/{content.key}/?activity=' in html
    assert 'sandbox="allow-scripts allow-same-origin allow-popups"' in html
    assert f'data-h5p-activity="{h5p_activity_id(lesson, block_id)}"' in html
    assert f"frame-src http://{PLAYER}" in response["Content-Security-Policy"]


def test_a_lesson_shows_a_message_for_an_exercise_that_is_not_ready(client, lesson):
    content = ready_content(status="validating")
    h5p_block_add(lesson, content)
    html = client.get(LessonPage.objects.get(pk=lesson.pk).url).content.decode()
    assert "h5p-frame" not in html
    assert "h5p-activity" in html


# --- Learning records ------------------------------------------------------------------------------

URL = "/api/progress/statements"


@pytest.fixture
def signed_in(client, django_user_model):
    learner = django_user_model.objects.create_user("bram", password="een-goed-wachtwoord")
    client.force_login(learner)
    client.learner = learner
    return client


def h5p_statement(object_id, verb="answered", *, scaled=None, raw=None, maximum=None, **extra):
    statement = {"id": str(uuid.uuid4()), "verb": {"id": VERB + verb}, "object": {"id": object_id}, **extra}
    if scaled is not None:
        statement["result"] = {
            "score": {"scaled": scaled, "raw": raw, "min": 0, "max": maximum},
            "completion": True,
        }
    return statement


def post(client, payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


def lesson_with_rule(lesson, content, completion, min_score=50):
    block_id = h5p_block_add(lesson, content, completion=completion, min_score=min_score)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    return lesson, h5p_activity_id(lesson, block_id), block_id


def progress_of(client, lesson):
    return LessonProgress.objects.get(user=client.learner, lesson_key=lesson.translation_key)


def test_the_resolver_knows_h5p_blocks_of_live_lessons(lesson, content):
    from progress.activities import activity_resolve

    lesson, activity, block_id = lesson_with_rule(lesson, content, "passed", 80)
    resolved = activity_resolve(activity)
    assert resolved.kind == "h5p"
    assert resolved.lesson_key == lesson.translation_key
    assert resolved.facts.completion == "passed"
    assert resolved.facts.min_score == 80
    assert resolved.facts.content_key == str(content.key)
    assert activity_resolve(f"{lesson_activity_id(lesson)}/h5p/{uuid.uuid4()}") is None


def test_viewed_counts_on_any_statement(signed_in, lesson, content):
    lesson, activity, block_id = lesson_with_rule(lesson, content, "viewed")
    response = post(signed_in, h5p_statement(activity, "attempted"))
    assert response.status_code == 200, response.content
    progress = progress_of(signed_in, lesson)
    # Done as opened, but the player said nothing about right or wrong: it does not count as right.
    assert progress.answers[block_id]["done"] is True
    assert progress.answers[block_id]["last"] is None
    assert progress.answers[block_id]["evidence"] == "reported"
    assert progress.status == LessonStatus.IN_PROGRESS
    assert progress.wrong_answers == 0


def test_answered_counts_on_an_answer_only(signed_in, lesson, content):
    lesson, activity, block_id = lesson_with_rule(lesson, content, "answered")
    assert post(signed_in, h5p_statement(activity, "attempted")).status_code == 200
    assert block_id not in progress_of(signed_in, lesson).answers
    assert post(signed_in, h5p_statement(activity, scaled=0.0, raw=0, maximum=1)).status_code == 200
    progress = progress_of(signed_in, lesson)
    # Answered, so done; but a wrong answer stays wrong (issue 12): never "first try right".
    entry = progress.answers[block_id]
    assert entry["done"] is True
    assert (entry["first"], entry["last"], entry["right_once"]) == (False, False, False)
    assert entry["evidence"] == "reported" and entry["score"] == 0.0
    assert progress.wrong_answers == 1 and progress.first_score == 0.0
    assert progress.status == LessonStatus.IN_PROGRESS  # the lesson's questions are not answered yet


def test_passed_needs_the_minimum_score(signed_in, lesson, content):
    lesson, activity, block_id = lesson_with_rule(lesson, content, "passed", 60)
    assert post(signed_in, h5p_statement(activity, scaled=0.5, raw=1, maximum=2)).status_code == 200
    progress = progress_of(signed_in, lesson)
    assert progress.answers[block_id] == {
        "first": False,
        "last": False,
        "right_once": False,
        "done": False,
        "kind": "h5p",
        "evidence": "reported",
        "score": 0.5,
    }
    assert progress.wrong_answers == 1
    assert post(signed_in, h5p_statement(activity, scaled=1.0, raw=2, maximum=2)).status_code == 200
    progress = progress_of(signed_in, lesson)
    assert progress.answers[block_id]["last"] is True
    assert progress.answers[block_id]["first"] is False
    assert progress.answers[block_id]["done"] is True
    stored = Statement.objects.filter(user=signed_in.learner, activity_kind="h5p")
    assert sorted(stored.values_list("score_scaled", flat=True)) == [0.5, 1.0]
    assert set(stored.values_list("object_id", flat=True)) == {activity}


@pytest.mark.parametrize(
    "score",
    [
        {"scaled": 1.0, "raw": 5, "min": 0, "max": 2},
        {"scaled": 1.5, "raw": 1, "min": 0, "max": 1},
        {"scaled": -0.1, "raw": 0, "min": 0, "max": 1},
    ],
)
def test_an_impossible_score_claim_is_rejected(signed_in, lesson, content, score):
    lesson, activity, _block_id = lesson_with_rule(lesson, content, "passed")
    statement = h5p_statement(activity)
    statement["result"] = {"score": score}
    response = post(signed_in, statement)
    assert response.status_code == 400
    assert not Statement.objects.filter(user=signed_in.learner).exists()


def test_the_actor_comes_from_the_session(signed_in, lesson, content):
    lesson, activity, _block_id = lesson_with_rule(lesson, content, "answered")
    statement = h5p_statement(activity, scaled=1.0, raw=1, maximum=1)
    # H5P names its own actor; the bridge (h5p-bridge.js) drops it. One that gets through is refused, not rewritten.
    statement["actor"] = {"objectType": "Agent", "mbox": "mailto:someone@example.org"}
    assert post(signed_in, statement).status_code == 400
    assert not Statement.objects.exists()
    del statement["actor"]
    assert post(signed_in, statement).status_code == 200
    stored = Statement.objects.get(user=signed_in.learner)
    assert stored.data["actor"]["account"]["name"] == str(signed_in.learner.public_id)


def test_admin_previews_may_frame_the_player(client, db):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert f"frame-src 'self' http://{PLAYER}" in policy


def test_player_scripts_are_sent_compressed(client, db):
    import gzip

    raw = b"".join(player_get(client, "/h5p/player-assets/frame.bundle.js").streaming_content)
    response = player_get(client, "/h5p/player-assets/frame.bundle.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert gzip.decompress(body) == raw
    assert len(body) < len(raw) / 2
