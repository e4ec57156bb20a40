""" "Download my data": one zip with a readable page in the person's language, JSON and the certificate PDFs,
holding every kind of record kept about the person, and nothing about anybody else."""

import io
import json
import re
import zipfile

import pytest

from .privacy_support import make_coach, person_with_everything


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def two_people(lesson):
    coach = make_coach("coach-an", "An")
    zoltan = person_with_everything(coach=coach, lesson=lesson, first="Zoltan", last="Quibbleworth", number="EMP-7781")
    wilma = person_with_everything(coach=coach, lesson=lesson, first="Wilma", last="Otterbeek", number="EMP-5523")
    return zoltan, wilma


def download(client, user, language="nl") -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get(f"/{language}/account/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="oefenplein-my-data-')
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_download_holds_every_kind_of_record_and_nobody_elses(client, two_people):
    zoltan, wilma = two_people
    archive = download(client, zoltan.user)
    names = archive.namelist()
    assert "my-data.html" in names and "my-data.json" in names
    data = json.loads(archive.read("my-data.json"))

    assert data["profile"]["display_name"] == "Zoltan Quibbleworth"
    assert data["profile"]["email"] == zoltan.email
    assert data["profile"]["display_preferences"] == {"text": "large"}
    assert data["staff_record"]["employee_number"] == "EMP-7781"
    assert data["staff_record"]["phone"] == zoltan.phone
    assert data["staff_record"]["team"] == "Ploeg Vrijbroekpark"
    assert [group["group"] for group in data["groups"]] == ["Digibank Nekkerspoel, dinsdag"]
    assert {row["note"] for row in data["assignments"]} == {"", "Voor Zoltan"}
    assert [row["programme"] for row in data["enrolments"]] == ["Digitaal veilig op het werk"]
    assert [row["channel"].lower() for row in data["reminders"]] == ["sms"]
    assert [row["holder_name"] for row in data["certificates"]] == ["Zoltan Quibbleworth"]
    assert len(data["simulator_attempts"]) == 1 and data["simulator_attempts"][0]["score"] == 90
    assert len(data["lesson_progress"]) == 1 and len(data["module_progress"]) == 1
    assert [row["id"] for row in data["statements"]] == zoltan.statement_ids
    assert len(data["card_sheets"]) == 1 and len(data["staff_card_sheets"]) == 1

    certificate = data["certificates"][0]["file"]
    assert certificate.startswith("certificates/") and certificate in names
    assert archive.read(certificate) == b"%PDF-1.4 Certificate of Zoltan Quibbleworth"

    everything = b"".join(archive.read(name) for name in names).decode()
    for word in wilma.words() + wilma.statement_ids:
        assert word not in everything, word


def test_the_page_is_readable_in_the_persons_language(client, two_people):
    zoltan, _wilma = two_people
    page = download(client, zoltan.user, language="ar").read("my-data.html").decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "Zoltan Quibbleworth" in page and "EMP-7781" in page
    assert zoltan.statement_ids[0] not in page  # the page shows the records, the JSON has them whole
    assert '<a href="certificates/' in page

    dutch = download(client, zoltan.user, language="nl").read("my-data.html").decode()
    assert '<html lang="nl" dir="ltr">' in dutch
    assert "<h2>Je personeelsdossier</h2>" in dutch and "Je gegevens op Oefenplein" in dutch


def test_someone_with_no_records_gets_a_valid_download(client, django_user_model):
    user = django_user_model.objects.create_user("nieuw", password="een-goed-wachtwoord")
    data = json.loads(download(client, user).read("my-data.json"))
    assert data["statements"] == [] and data["groups"] == [] and "staff_record" not in data
    assert data["profile"]["user_name"] == "nieuw"


def test_the_page_shows_dates_as_people_read_them(client, django_user_model):
    """The JSON keeps the exact ISO time; the page says it in the person's language and local time."""
    user = django_user_model.objects.create_user("datum", password="een-goed-wachtwoord")
    archive = download(client, user)
    joined = json.loads(archive.read("my-data.json"))["profile"]["date_joined"]
    assert "T" in joined and joined[:4].isdigit()
    page = archive.read("my-data.html").decode()
    assert joined not in page and joined[:10] not in page
    assert re.search(
        r"<dd>\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4} \d{1,2}:\d{2}</dd>",
        page,
    )


def test_the_page_names_roles_and_the_way_of_signing_in_in_words(client, two_people):
    """The JSON keeps the stored group names ("Learners"); the page says them in the person's language."""
    zoltan, _wilma = two_people
    archive = download(client, zoltan.user, language="nl")
    profile = json.loads(archive.read("my-data.json"))["profile"]
    page = archive.read("my-data.html").decode()
    assert (profile["roles"], profile["signs_in_with"]) == (["Learners"], "pin")
    assert "<dd>Cursist</dd>" in page and "<dd>Pincode (4 cijfers)</dd>" in page
    assert "<dd>Learners</dd>" not in page and "<dd>pin</dd>" not in page


def test_the_page_names_lessons_and_modules_by_their_titles(client, two_people, lesson):
    """A person reads "which lesson", not a key; the JSON keeps the keys for computers."""
    zoltan, _wilma = two_people
    archive = download(client, zoltan.user, language="nl")
    lessons = json.loads(archive.read("my-data.json"))["lesson_progress"]
    page = archive.read("my-data.html").decode()
    assert [row["lesson"] for row in lessons] == [str(lesson.translation_key)]
    assert f"<td>{lesson.title}</td>" in page and f"<td>{lesson.get_parent().title}</td>" in page
    assert str(lesson.translation_key) not in page.split("Je leerresultaten", 1)[0]


def test_the_page_says_what_was_done_in_words_and_scores_as_percentages(client, two_people):
    """ "answered" and 0.5 are for computers (the JSON keeps them); a person reads "Beantwoord" and 50%."""
    zoltan, _wilma = two_people
    archive = download(client, zoltan.user, language="nl")
    data = json.loads(archive.read("my-data.json"))
    page = archive.read("my-data.html").decode()
    records = page.split("Je leerresultaten", 1)[1]
    words = {"answered": "Beantwoord", "completed": "Klaar", "experienced": "Geopend", "interacted": "Een stap gedaan"}
    verbs = {row["verb"] for row in data["statements"]}
    assert verbs, "the person has learning records"
    for verb in verbs:
        assert f"<td>{verb}</td>" not in records
        if verb in words:
            assert f"<td>{words[verb]}</td>" in records
    for row in data["statements"] + data["lesson_progress"]:
        score = row.get("score", row.get("best_score"))
        if score is not None:
            assert f"<td>{round(score * 100)}%</td>" in page
