"""Staff's way in: a learner code on import, and sheets of sign-in cards (new PINs) made in a Celery task.

The rules are coaching's (tests/coaching/test_card_sheets.py): the request only asks, the task sets the
new PINs and renders the PDF in one transaction, the broker message holds only the sheet id, the PDF is
private to the manager who asked and gone after a day, and the manager confirms that old PINs stop working.
"""

import io
import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from accounts import cards as account_cards
from accounts.card_sheets import sheet_language
from accounts.credentials import code_format
from tests.accounts.support import sign_in_with_code
from training import cards, services
from training.models import CardSheetStatus, ReminderDelivery, StaffCardSheet, StaffMember

from .conftest import make_manager, make_staff

HEADER = "employee_number;name;department;team;start_date;email;phone\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def imported(manager, park_team, required):
    """Two park workers from the staff list, without e-mail; the programme is due on 20 December 2026."""
    data = (
        HEADER + "G-1;Karim El Amrani;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;\n"
        "G-2;Jan Van den Broeck;Groendienst;Ploeg Vrijbroekpark;2020-05-01;;\n"
    ).encode()
    report = services.staff_import(manager=manager, name="personeel.csv", data=data, today=date(2026, 11, 1))
    assert report.created == 2
    return list(StaffMember.objects.filter(team=park_team).select_related("user__learner_sign_in").order_by("pk"))


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def sheet_text(sheet) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(cards.sheet_path(sheet.file_name).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def sign_in_of(staff):
    staff.user.refresh_from_db()
    return type(staff.user.learner_sign_in).objects.get(user=staff.user)


def pin_from(text: str, staff) -> str:
    sign_in = sign_in_of(staff)
    pins = [pin for pin in re.findall(r"(?<!\d)\d{4}(?!\d)", text) if sign_in.secret_check(pin)]
    assert len(pins) == 1, "the working PIN is on the sheet"
    return pins[0]


def made_sheet(manager, team, staff) -> StaffCardSheet:
    sheet = services.card_sheet_request(manager=manager, team=team, staff=staff)
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    return sheet


# --- A learner code on import ----------------------------------------------------------------------------


def test_the_import_gives_each_person_a_learner_code_that_opens_nothing_yet(imported, manager, park_team):
    codes = {staff.user.learner_sign_in.code for staff in imported}
    assert len(codes) == 2 and all(len(code) == 6 for code in codes)
    # No PIN yet (made and hashed only when a card is printed): the code alone opens nothing.
    assert not any(is_password_usable(staff.user.learner_sign_in.secret) for staff in imported)
    # A re-import keeps the codes, so printed cards keep working.
    data = (HEADER + "G-1;Karim El Amrani;Groendienst;Ploeg Vrijbroekpark;2019-03-01;karim@example.org;\n").encode()
    services.staff_import(manager=manager, name="personeel.csv", data=data)
    assert sign_in_of(imported[0]).code == imported[0].user.learner_sign_in.code


def test_staff_added_without_the_import_get_a_code_when_their_card_is_printed(
    django_user_model, manager, park_team, required
):
    staff = make_staff(django_user_model, park_team, "G-9", "Lotte")
    sheet = made_sheet(manager, park_team, [staff])
    text, _pages = sheet_text(sheet)
    assert code_format(code=sign_in_of(staff).code) in text


# --- Asking for a sheet -------------------------------------------------------------------------------------


def test_the_team_page_links_to_the_cards_and_the_manager_must_confirm(imported, manager_client, park_team):
    team_page = manager_client.get(reverse("training:team_compliance", args=[park_team.pk])).content.decode()
    url = reverse("training:team_card_sheets", args=[park_team.pk])
    assert url in team_page
    page = manager_client.get(url).content.decode()
    assert 'name="confirm"' in page and "Karim El Amrani" in page
    response = manager_client.post(url, {"staff": [imported[0].pk]})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    assert not StaffCardSheet.objects.exists()


def test_the_request_only_asks_and_the_task_sets_the_new_pins(
    imported, manager_client, park_team, django_capture_on_commit_callbacks
):
    old = {staff.pk: sign_in_of(staff).secret for staff in imported}
    url = reverse("training:team_card_sheets", args=[park_team.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = manager_client.post(url, {"staff": [s.pk for s in imported], "confirm": "on"})
    sheet = StaffCardSheet.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("training:card_sheet", args=[park_team.pk, sheet.pk])
    assert len(callbacks) == 1
    assert {staff.pk: sign_in_of(staff).secret for staff in imported} == old  # nothing yet
    assert manager_client.get(response.url).context["sheet"].status == CardSheetStatus.WAITING

    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    sheet.refresh_from_db()
    assert (sheet.card_count, sheet.page_count) == (2, 1)
    text, pages = sheet_text(sheet)
    assert pages == 1
    for staff in imported:
        assert staff.user.display_name in text
        assert code_format(code=sign_in_of(staff).code) in text
        assert sign_in_of(staff).secret != old[staff.pk]
        pin_from(text, staff)
    # A second delivery of the same message changes nothing.
    secrets = {staff.pk: sign_in_of(staff).secret for staff in imported}
    assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.READY
    assert {staff.pk: sign_in_of(staff).secret for staff in imported} == secrets
    page = manager_client.get(response.url).content.decode()
    assert reverse("training:card_sheet_download", args=[park_team.pk, sheet.pk]) in page


def test_the_broker_message_carries_only_the_sheet_id(imported, manager, park_team, django_capture_on_commit_callbacks):
    from training.tasks import card_sheet_render_task

    with (
        mock.patch.object(card_sheet_render_task, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sheet = services.card_sheet_request(manager=manager, team=park_team, staff=imported)
    send.assert_called_once_with(args=(sheet.pk,), kwargs={}, queue=None)


def test_a_sheet_that_cannot_be_queued_says_try_again_at_once(
    imported, manager, park_team, monkeypatch, django_capture_on_commit_callbacks
):
    """The broker (Redis) is away: the request still answers, the sheet is marked not made, no PIN changed."""
    from kombu.exceptions import OperationalError

    from training.tasks import card_sheet_render_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(card_sheet_render_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.card_sheet_request(manager=manager, team=park_team, staff=imported)
    sheet.refresh_from_db()
    assert sheet.status == CardSheetStatus.FAILED
    with translation.override(sheet_language(sheet.owner)):
        expected = gettext("The sheet could not be started just now. Nobody got a new PIN. Try again in a few minutes.")
    assert sheet.problem == expected


def test_the_old_pin_stops_working_and_the_new_one_signs_in(imported, manager, park_team, client):
    first = made_sheet(manager, park_team, imported[:1])
    old_pin = pin_from(sheet_text(first)[0], imported[0])
    second = made_sheet(manager, park_team, imported[:1])
    new_pin = pin_from(sheet_text(second)[0], imported[0])
    code = sign_in_of(imported[0]).code
    if old_pin != new_pin:  # about 1 in 9,000: the new PIN drawn is the old one
        assert not sign_in_of(imported[0]).secret_check(old_pin)
        assert sign_in_with_code(client, code, {"pin": old_pin}, language="nl").status_code == 200
    assert sign_in_with_code(client, code, {"pin": new_pin}, language="nl").status_code == 302


def test_a_failed_render_leaves_the_old_pins_working(imported, manager, park_team):
    first = made_sheet(manager, park_team, imported)
    before = {staff.pk: sign_in_of(staff).secret for staff in imported}
    sheet = services.card_sheet_request(manager=manager, team=park_team, staff=imported)
    with mock.patch.object(account_cards, "sheet_render", side_effect=RuntimeError("no fonts")):
        assert services.card_sheet_render(sheet_id=sheet.pk) == CardSheetStatus.FAILED
    sheet.refresh_from_db()
    assert sheet.problem and not sheet.file_name
    assert {staff.pk: sign_in_of(staff).secret for staff in imported} == before
    assert first.file_name and cards.sheet_path(first.file_name).exists()


def test_only_people_of_the_managers_own_team_go_on_a_sheet(
    django_user_model, imported, manager, other_manager, park_team, sweep_team
):
    from django.core.exceptions import ValidationError

    nadia = make_staff(django_user_model, sweep_team, "N-1", "Nadia")
    with pytest.raises(ValidationError):
        services.card_sheet_request(manager=manager, team=park_team, staff=[nadia])
    with pytest.raises(ValidationError):
        services.card_sheet_request(manager=other_manager, team=park_team, staff=imported)
    # Someone who left the team before the task ran is not on the sheet and keeps their secret.
    sheet = services.card_sheet_request(manager=manager, team=park_team, staff=imported)
    StaffMember.objects.filter(pk=imported[1].pk).update(active=False)
    secret = sign_in_of(imported[1]).secret
    services.card_sheet_render(sheet_id=sheet.pk)
    sheet.refresh_from_db()
    assert sheet.card_count == 1
    assert "Jan Van den Broeck" not in sheet_text(sheet)[0]
    assert sign_in_of(imported[1]).secret == secret


# --- The private file -----------------------------------------------------------------------------------------


def test_the_pdf_is_private_a4_and_not_under_media_root(imported, manager, park_team, private_root, settings):
    sheet = made_sheet(manager, park_team, imported)
    path = cards.sheet_path(sheet.file_name)
    assert path.is_relative_to(private_root) and not path.is_relative_to(settings.MEDIA_ROOT)
    assert path.stat().st_mode & 0o077 == 0
    box = PdfReader(io.BytesIO(path.read_bytes())).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    with pytest.raises(ValueError):
        cards.sheet_path("../secret_key")


def test_only_the_manager_who_asked_downloads_the_sheet(
    imported, manager, manager_client, park_team, client, django_user_model
):
    sheet = made_sheet(manager, park_team, imported)
    args = [park_team.pk, sheet.pk]
    response = manager_client.get(reverse("training:card_sheet_download", args=args))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # A fellow manager of the same team: the sheet (and its PINs) is not theirs.
    fellow = make_manager(django_user_model, "wim", "Wim")
    park_team.managers.add(fellow)
    client.force_login(fellow)
    for name in ("training:card_sheet", "training:card_sheet_download"):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("training:card_sheet_remove", args=args)).status_code == 404
    # Staff get 403, anonymous visitors the sign-in page.
    client.force_login(imported[0].user)
    assert client.get(reverse("training:card_sheet_download", args=args)).status_code == 403
    client.logout()
    assert client.get(reverse("training:card_sheet_download", args=args)).status_code == 302


def test_removing_a_sheet_deletes_the_file(imported, manager, manager_client, park_team):
    sheet = made_sheet(manager, park_team, imported)
    path = cards.sheet_path(sheet.file_name)
    args = [park_team.pk, sheet.pk]
    assert manager_client.post(reverse("training:card_sheet_remove", args=args)).status_code == 302
    assert not path.exists()
    assert manager_client.get(reverse("training:card_sheet_download", args=args)).status_code == 404


def test_sheets_older_than_a_day_are_removed_and_stuck_ones_fail(imported, manager, park_team, settings):
    old = made_sheet(manager, park_team, imported)
    fresh = made_sheet(manager, park_team, imported)
    stuck = services.card_sheet_request(manager=manager, team=park_team, staff=imported)
    now = timezone.now()
    StaffCardSheet.objects.filter(pk=old.pk).update(finished_at=now - timedelta(hours=25))
    StaffCardSheet.objects.filter(pk=stuck.pk).update(created_at=now - timedelta(hours=2))
    assert services.card_sheets_clean(now=now) == 1
    assert not cards.sheet_path(old.file_name).exists() and cards.sheet_path(fresh.file_name).exists()
    statuses = dict(StaffCardSheet.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "removed", fresh.pk: "ready", stuck.pk: "failed"}
    from learn.celery import app

    assert "training.card_sheets_clean" in app.tasks
    assert any(entry["task"] == "training.card_sheets_clean" for entry in settings.CELERY_BEAT_SCHEDULE.values())


# --- Signing in with the card, and the reminder right after ----------------------------------------------------


def test_staff_without_e_mail_sign_in_with_their_card_and_see_their_reminder(imported, manager, park_team, client):
    services.reminders_run(today=date(2026, 12, 21))  # overdue: a site reminder for people without e-mail
    sheet = made_sheet(manager, park_team, imported[:1])
    pin = pin_from(sheet_text(sheet)[0], imported[0])
    code = sign_in_of(imported[0]).code
    client.post("/nl/account/login/", {"learner_code": code_format(code=code)})
    response = client.post("/nl/account/login/learner/", {"pin": pin}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == imported[0].user
    page = response.content.decode()
    assert 'class="messages" role="status"' in page
    assert "Digitaal veilig op het werk" in page and "20/12/2026" in page
    assert page.count('class="messages"') == 1
    assert ReminderDelivery.objects.get(enrolment__staff=imported[0]).seen_at is not None
    # Shown once: the next page has no reminder any more.
    assert "20/12/2026" not in client.get("/nl/").content.decode()
