"""The staff CSV import: valid rows saved, wrong rows reported with reasons, a re-import updates, bad files change nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from training import services
from training.models import Enrolment, StaffMember

HEADER = "employee_number;name;department;team;start_date;email;phone\n"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked word for word: in English, the source language of the messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_valid_rows_make_staff_and_enrol_them(manager, park_team, required):
    data = csv_bytes(
        "G-1;Karim El Amrani;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;0470 11 22 33",
        "G-2;Sofie Peeters;groendienst;ploeg vrijbroekpark;01/12/2026;sofie@example.org;",
    )
    report = services.staff_import(manager=manager, name="personeel.csv", data=data)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (2, 0, 0, [])
    karim = StaffMember.objects.get(employee_number="G-1")
    assert karim.phone == "+32470112233" and karim.email == "" and karim.team == park_team
    assert str(karim.user) == "Karim El Amrani" and not karim.user.has_usable_password()
    assert Enrolment.objects.filter(staff__team=park_team).count() == 2


def test_wrong_rows_are_reported_with_their_reasons_and_the_rest_is_saved(manager, park_team, sweep_team):
    data = csv_bytes(
        "G-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
        ";Zonder nummer;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
        "G-3;Geen datum;Groendienst;Ploeg Vrijbroekpark;gisteren;geen-mail;0123",
        "G-4;Ander team;Netheid;Veegploeg centrum;2019-03-01;;",
        "G-5;Onbekend;Brandweer;Kazerne;2019-03-01;;",
        "G-1;Dubbel;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
    )
    report = services.staff_import(manager=manager, name="personeel.csv", data=data)
    assert report.created == 1
    reasons = {rejection.line: " ".join(rejection.reasons) for rejection in report.rejected}
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "employee number is missing" in reasons[3]
    assert "start date" in reasons[4] and "e-mail address" in reasons[4] and "mobile number" in reasons[4]
    assert "do not manage" in reasons[5]
    assert "do not know team" in reasons[6]
    assert "already on line 2" in reasons[7]
    assert list(StaffMember.objects.values_list("employee_number", flat=True)) == ["G-1"]


def test_a_re_import_updates_without_duplicates(manager, park_team, green):
    from training.models import Team

    other_team = Team.objects.create(department=green, name="Ploeg Tivolipark")
    other_team.managers.add(manager)
    first = csv_bytes("G-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;")
    services.staff_import(manager=manager, name="a.csv", data=first)
    again = csv_bytes(
        "G-1;Karim El Amrani;Groendienst;Ploeg Tivolipark;2019-03-01;karim@example.org;",
        "G-2;Jan;Groendienst;Ploeg Vrijbroekpark;2026-11-01;;",
    )
    report = services.staff_import(manager=manager, name="a.csv", data=again)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    karim = StaffMember.objects.get(employee_number="G-1")
    assert karim.team == other_team and karim.email == "karim@example.org" and str(karim.user) == "Karim El Amrani"
    assert StaffMember.objects.count() == 2
    assert services.staff_import(manager=manager, name="a.csv", data=again).unchanged == 2


def test_staff_of_another_managers_team_cannot_be_taken_over(manager, other_manager, park_team, sweep_team):
    services.staff_import(
        manager=other_manager, name="a.csv", data=csv_bytes("N-1;Aïcha;Netheid;Veegploeg centrum;2019-03-01;;")
    )
    report = services.staff_import(
        manager=manager, name="a.csv", data=csv_bytes("N-1;Aïcha;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;")
    )
    assert report.rejected[0].reasons == ["This person works in a team you do not manage."]
    assert StaffMember.objects.get(employee_number="N-1").team == sweep_team


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("personeel.xlsx", b"PK\x03\x04rest", "Choose a CSV file"),
        ("personeel.csv", b"PK\x03\x04rest", "Excel"),
        ("personeel.csv", b"%PDF-1.7\x00\x01", "not a CSV file"),
        ("personeel.csv", b"naam;dienst\nKarim;Groendienst\n", "employee_number"),
        ("personeel.csv", b"", "The file is empty"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(manager_client, park_team, name, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = manager_client.post(reverse("training:staff_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert response.context["report"] is None
    errors = response.context["form"].errors["file"]
    assert message in errors[0]
    assert not StaffMember.objects.exists()


def test_the_import_page_shows_the_report(manager_client, park_team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv_bytes("G-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;", "G-2;;Groendienst;;;;")
    response = manager_client.post(reverse("training:staff_import"), {"file": SimpleUploadedFile("p.csv", data)})
    page = response.content.decode()
    assert response.context["report"].created == 1
    assert "Lines that were not imported" in page
    assert '<th scope="row">3</th>' in page


def test_a_complete_list_marks_people_who_are_missing_as_left(manager_client, manager, park_team, sweep_team):
    """Only with the tick: people of the manager's teams missing from the file (not even on a wrong line) left."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = csv_bytes(
        "G-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
        "G-2;Lies;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
        "G-3;Noor;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;",
    )
    services.staff_import(manager=manager, name="p.csv", data=first)
    again = csv_bytes("G-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01;;", "G-3;Noor;;;;;")
    url = reverse("training:staff_import")
    page = manager_client.get(url).content.decode()
    assert "This file lists everyone in my teams" in page and 'aria-describedby="id_complete_helptext"' in page

    manager_client.post(url, {"file": SimpleUploadedFile("p.csv", again)})
    assert StaffMember.objects.filter(active=False).count() == 0  # without the tick nobody left

    response = manager_client.post(url, {"file": SimpleUploadedFile("p.csv", again), "complete": "on"})
    assert "1 person marked as left" in response.content.decode()
    left = StaffMember.objects.get(employee_number="G-2")
    assert not left.active and left.left_at is not None
    assert StaffMember.objects.get(employee_number="G-3").active  # on a wrong line: still here

    services.staff_import(manager=manager, name="p.csv", data=first)  # back on the list
    left.refresh_from_db()
    assert left.active and left.left_at is None
