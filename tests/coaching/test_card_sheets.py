"""Sheets of sign-in cards: asking for one, the secrets, the PDF, the download and the clean-up.

The task's work (`services.card_sheet_render`) is called here in the test process; that a real worker
takes it from Redis is in test_card_sheets_worker.py.
"""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from accounts import cards as account_cards
from accounts import services as account_services
from accounts.card_sheets import sheet_language
from accounts.credentials import code_format
from accounts.models import SignInKind
from coaching import cards, services
from coaching.models import CardSheet, CardSheetSecrets, CardSheetStatus

from .conftest import make_learner


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def pdf_text(sheet) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(cards.sheet_path(sheet.file_name).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def sign_in_of(learner):
    learner.refresh_from_db()
    return learner.learner_sign_in


def test_a_sheet_for_existing_learners_needs_confirmation(coach_client, group):
    url = reverse("coaching:group_card_sheets", kwargs={"pk": group.pk})
    page = coach_client.get(url)
    assert 'name="confirm"' in page.content.decode()
    learner_ids = [learner.pk for learner in group.learners.all()]
    response = coach_client.post(url, {"learners": learner_ids})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert not CardSheet.objects.exists()


def test_a_sheet_for_existing_learners_gives_new_pins_in_the_task(
    coach_client, group, learners, django_capture_on_commit_callbacks
):
    old = {learner.pk: sign_in_of(learner).secret for learner in learners}
    url = reverse("coaching:group_card_sheets", kwargs={"pk": group.pk})
    with django_capture_on_commit_callbacks() as callbacks:
        response = coach_client.post(url, {"learners": [learners[0].pk, learners[1].pk], "confirm": "on"})
    sheet = CardSheet.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("coaching:card_sheet", kwargs={"pk": group.pk, "sheet_pk": sheet.pk})
    assert len(callbacks) == 1
    # Nothing changes before the task runs: the request only asks.
    assert {learner.pk: sign_in_of(learner).secret for learner in learners} == old
    assert coach_client.get(response.url).context["sheet"].status == CardSheetStatus.WAITING

    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    assert sheet.page_count == 1 and sheet.card_count == 2
    text, pages = pdf_text(sheet)
    assert pages == 1
    for learner in learners:
        sign_in = sign_in_of(learner)
        assert sign_in.secret != old[learner.pk]  # a new PIN
        assert learner.display_name in text
        assert code_format(code=sign_in.code) in text
    # The PIN on the sheet is the one that works now.
    pins = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
    assert any(sign_in_of(learners[0]).secret_check(pin) for pin in pins)


def test_the_broker_message_carries_only_the_sheet_id(coach, group, learners, django_capture_on_commit_callbacks):
    from coaching.tasks import card_sheet_render_task

    with (
        mock.patch.object(card_sheet_render_task, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    send.assert_called_once_with(args=(sheet.pk,), kwargs={}, queue=None)


def test_a_sheet_that_cannot_be_queued_says_try_again_at_once(
    coach, group, learners, monkeypatch, django_capture_on_commit_callbacks
):
    """The broker (Redis) is away: the request still answers, the sheet is marked not made, no PIN changed."""
    from kombu.exceptions import OperationalError

    from coaching.tasks import card_sheet_render_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(card_sheet_render_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    sheet.refresh_from_db()
    assert sheet.status == CardSheetStatus.FAILED
    with translation.override(sheet_language(sheet.owner)):
        expected = gettext("The sheet could not be started just now. Nobody got a new PIN. Try again in a few minutes.")
    assert sheet.problem == expected


def test_a_sheet_right_after_making_accounts_keeps_the_pins_just_shown(
    coach_client, group, django_capture_on_commit_callbacks
):
    url = reverse("coaching:group_learners_create", kwargs={"pk": group.pk})
    with django_capture_on_commit_callbacks() as callbacks:
        response = coach_client.post(url, {"names": "Noor\nPiet", "preferred_language": "nl", "card_sheet": "on"})
    assert response.status_code == 200
    rows = response.context["rows"]
    sheet = response.context["sheet"]
    assert sheet.secrets == CardSheetSecrets.JUST_MADE
    assert len(callbacks) == 1
    assert 'id="card-sheet-live"' in response.content.decode()

    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    text, _pages = pdf_text(sheet)
    for row in rows:
        assert row["learner"].display_name in text
        assert row["code"] in text
        assert row["pin"] in text
        # No second reset: the PIN the coach saw still works.
        assert sign_in_of(row["learner"]).secret_check(row["pin"])
    # The task took the secrets out of the cache.
    assert cache.get(f"coaching:card-sheet:{sheet.pk}:secrets") is None


def test_without_the_box_no_sheet_is_made(coach_client, group):
    url = reverse("coaching:group_learners_create", kwargs={"pk": group.pk})
    response = coach_client.post(url, {"names": "Noor", "preferred_language": "nl"})
    assert response.status_code == 200
    assert not CardSheet.objects.exists()


def test_kept_pins_that_expired_fail_clearly(coach, group):
    made = services.group_learners_create(coach=coach, group=group, names=["Noor"], language="nl")
    sheet = services.card_sheet_for_new(coach=coach, group=group, made=made)
    cards.secrets_forget(sheet_id=sheet.pk)
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.FAILED
    sheet.refresh_from_db()
    assert "15" in sheet.problem
    assert not sheet.file_name


def test_a_failed_render_leaves_the_old_pins_working(coach, group, learners):
    old_pin = account_services.learner_secret_reset(learner=learners[0], kind=SignInKind.PIN).secret
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    with mock.patch.object(account_cards, "sheet_render", side_effect=RuntimeError("no fonts")):
        assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.FAILED
    assert sign_in_of(learners[0]).secret_check(old_pin)
    sheet.refresh_from_db()
    assert sheet.status == CardSheetStatus.FAILED and sheet.problem
    # A second delivery of the same message does nothing.
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.FAILED


def test_a_sheet_is_made_once(coach, group, learners):
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    secret = sign_in_of(learners[0]).secret
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    assert sign_in_of(learners[0]).secret == secret


def test_twenty_learners_fill_three_pages_in_their_languages(coach, group):
    learners = [make_learner(coach, f"Leerling {number:02d}") for number in range(18)]
    arabic = account_services.learner_create(
        coach=coach, display_name="Samira", language="ar", kind=SignInKind.PICTURES
    ).learner
    french = account_services.learner_create(coach=coach, display_name="Zoé", language="fr", kind=SignInKind.PIN)
    learners += [arabic, french.learner]
    services.group_learners_add(coach=coach, group=group, learners=learners)
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    text, pages = pdf_text(sheet)
    assert pages == sheet.page_count == 3  # 8 cards on a page
    for learner in learners:
        assert learner.display_name in text
        assert code_format(code=sign_in_of(learner).code) in text
    assert "/ar/" in text and "?code=" not in text  # the sign-in address in the learner's language


def test_cards_are_in_the_learners_language_and_direction(coach):
    arabic = account_services.learner_create(
        coach=coach, display_name="Samira", language="ar", kind=SignInKind.PICTURES
    )
    card = cards.card_build(learner=arabic.learner, kind=arabic.kind, secret=arabic.secret)
    assert card.language == "ar" and card.direction == "rtl"
    assert card.sign_in_url.startswith("http") and "/ar/" in card.sign_in_url
    assert len(card.pictures) == 3 and all(picture.label for picture in card.pictures)
    assert card.pictures[0].uri.startswith("data:image/svg+xml")
    from django.template.loader import render_to_string

    html = render_to_string(
        "accounts/card_sheet_pdf.html", {"pages": [[card]], "title": "t", "language": "nl", "direction": "ltr"}
    )
    assert 'lang="ar" dir="rtl"' in html
    assert card.pictures[0].label in html  # the pictures in words too


def test_the_qr_code_opens_the_sign_in_page_with_the_code(coach, settings):
    settings.SITE_ORIGIN = "https://oefenplein.example"
    new = account_services.learner_create(coach=coach, display_name="Noor", language="nl", kind=SignInKind.PIN)
    with mock.patch.object(cards.segno, "make", wraps=cards.segno.make) as make:
        card = cards.card_build(learner=new.learner, kind=new.kind, secret=new.secret)
    assert make.call_args.args[0] == (
        f"https://oefenplein.example{reverse('accounts:login')}?code={new.learner.learner_sign_in.code}"
    )
    assert card.pin == new.secret


def test_the_status_page_shows_the_download_when_ready(coach_client, coach, group, learners):
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    kwargs = {"pk": group.pk, "sheet_pk": sheet.pk}
    fragment = coach_client.get(reverse("coaching:card_sheet", kwargs=kwargs) + "?fragment=1")
    assert 'data-card-sheet-status="waiting"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    services.card_sheet_render(sheet_id=sheet.pk)
    page = coach_client.get(reverse("coaching:card_sheet", kwargs=kwargs)).content.decode()
    assert reverse("coaching:card_sheet_download", kwargs=kwargs) in page
    assert "coaching/js/card_sheet.js" in page

    download = coach_client.get(reverse("coaching:card_sheet_download", kwargs=kwargs))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_file_is_not_under_media_root(coach, group, learners, settings, private_root):
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=sheet.pk)
    sheet.refresh_from_db()
    path = cards.sheet_path(sheet.file_name)
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(ValueError):
        cards.sheet_path("../secret_key")


def test_a_fellow_coach_of_the_group_cannot_see_the_sheet(client, coach, other_coach, group, learners):
    group.coaches.add(other_coach)
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=sheet.pk)
    client.force_login(other_coach)
    kwargs = {"pk": group.pk, "sheet_pk": sheet.pk}
    for name in ("coaching:card_sheet", "coaching:card_sheet_download"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert client.post(reverse("coaching:card_sheet_remove", kwargs=kwargs)).status_code == 404
    # ... nor put learners they did not make on a sheet.
    response = client.post(
        reverse("coaching:group_card_sheets", kwargs={"pk": group.pk}),
        {"learners": [learners[0].pk], "confirm": "on"},
    )
    assert response.status_code == 200
    assert CardSheet.objects.filter(coach=other_coach).count() == 0


def test_removing_a_sheet_deletes_the_file(coach_client, coach, group, learners):
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=sheet.pk)
    sheet.refresh_from_db()
    path = cards.sheet_path(sheet.file_name)
    kwargs = {"pk": group.pk, "sheet_pk": sheet.pk}
    response = coach_client.post(reverse("coaching:card_sheet_remove", kwargs=kwargs))
    assert response.status_code == 302
    assert not path.exists()
    assert coach_client.get(reverse("coaching:card_sheet_download", kwargs=kwargs)).status_code == 404


def test_old_sheets_are_removed_and_stuck_ones_fail(coach, group, learners):
    old = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=old.pk)
    fresh = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=fresh.pk)
    stuck = services.card_sheet_request(coach=coach, group=group, learners=learners)
    old.refresh_from_db()
    fresh.refresh_from_db()
    old_path, fresh_path = cards.sheet_path(old.file_name), cards.sheet_path(fresh.file_name)
    now = timezone.now()
    CardSheet.objects.filter(pk=old.pk).update(finished_at=now - timedelta(hours=25))
    CardSheet.objects.filter(pk=stuck.pk).update(created_at=now - timedelta(hours=2))

    assert services.card_sheets_clean(now=now) == 1
    assert not old_path.exists() and fresh_path.exists()
    assert CardSheet.objects.get(pk=old.pk).status == CardSheetStatus.REMOVED
    assert CardSheet.objects.get(pk=fresh.pk).status == CardSheetStatus.READY
    assert CardSheet.objects.get(pk=stuck.pk).status == CardSheetStatus.FAILED


def test_the_clean_up_runs_from_celery_beat(settings):
    from learn.celery import app

    assert "coaching.card_sheets_clean" in app.tasks
    assert any(entry["task"] == "coaching.card_sheets_clean" for entry in settings.CELERY_BEAT_SCHEDULE.values())


@pytest.mark.django_db(transaction=True)
def test_a_sheet_whose_worker_died_mid_run_is_made_by_the_next_delivery(coach, group, learners):
    """kill -9 of a worker in the middle of a sheet: the broker hands the message out again, and that run makes it.

    Another connection holding the row stands for the running worker; closing it is what the worker's death does
    to its transaction (PostgreSQL rolls it back and frees the row).
    """
    from django.db import connections

    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    running = connections.create_connection("default")
    running.set_autocommit(False)
    with running.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {CardSheet._meta.db_table} WHERE id = %s FOR UPDATE", [sheet.pk])
    # A second delivery while the first run is alive leaves the sheet to it.
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.WAITING
    sheet.refresh_from_db()
    assert sheet.status == CardSheetStatus.WAITING and not sheet.file_name

    running.close()  # the worker died
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    text, _pages = pdf_text(sheet)
    assert "Marie" in text and "Yusuf" in text
