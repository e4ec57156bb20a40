"""A person can download all their data and delete their account (learners without a password ask their coach)."""

import io
import json
import uuid
import zipfile

from accounts.models import LearnerSignIn, User
from lessons.activities import lesson_activity_id
from progress.models import LessonProgress, Statement
from progress.services import statements_ingest

VERB = "http://adlnet.gov/expapi/verbs/"


def my_data(response) -> tuple[dict, str]:
    """The JSON of the data download, and every file in the zip as text."""
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return json.loads(archive.read("my-data.json")), text


def learn_something(user, lesson, count: int = 2) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    statements = [
        {"id": statement_id, "verb": {"id": VERB + "experienced"}, "object": {"id": lesson_activity_id(lesson)}}
        for statement_id in ids
    ]
    statements_ingest(user=user, statements=statements)
    return ids


def test_download_has_the_profile_without_secrets_and_every_statement(client, pin_learner, lesson):
    learner = pin_learner.learner
    ids = learn_something(learner, lesson, count=3)
    client.force_login(learner)

    response = client.get("/en/account/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="oefenplein-my-data-')
    assert "no-store" in response["Cache-Control"]
    data, body = my_data(response)

    assert data["profile"]["display_name"] == "Marie"
    assert data["profile"]["learner_id"] == str(learner.public_id)
    assert data["profile"]["made_by_coach"] == "An"
    assert [statement["statement"]["id"] for statement in data["statements"]] == ids
    sign_in = LearnerSignIn.objects.get(user=learner)
    for secret in (sign_in.secret, sign_in.code, sign_in.code.lower(), pin_learner.secret, learner.password):
        assert secret not in body


def test_download_with_no_statements_is_valid_json(client, pin_learner):
    client.force_login(pin_learner.learner)
    data, _text = my_data(client.get("/en/account/my-data/"))
    assert data["statements"] == []


def test_download_needs_a_session(client, db):
    assert client.get("/en/account/my-data/")["Location"].startswith("/en/account/login/")


def test_a_user_with_a_password_deletes_their_account_after_typing_it(client, django_user_model, lesson):
    user = django_user_model.objects.create_user("amina", password="een-goed-wachtwoord", display_name="Amina")
    learn_something(user, lesson)
    client.force_login(user)

    wrong = client.post("/en/account/delete/", {"password": "fout"})
    assert wrong.status_code == 200
    assert "This password is not right. Nothing was deleted." in wrong.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/en/account/delete/", {"password": "een-goed-wachtwoord"}, follow=True)
    assert "Your account and all your learning records are deleted." in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Statement.objects.filter(user_id=user.pk).exists()
    assert not LessonProgress.objects.filter(user_id=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_a_code_learner_asks_and_the_coach_deletes(client, pin_learner, coach, lesson):
    learner = pin_learner.learner
    learn_something(learner, lesson)
    client.force_login(learner)
    page = client.get("/en/account/delete/").content.decode()
    assert 'type="password"' not in page and "Ask my coach to delete my account" in page

    client.post("/en/account/delete/", {"action": "request"})
    learner.refresh_from_db()
    assert learner.deletion_requested_at is not None
    assert User.objects.filter(pk=learner.pk).exists()  # only asked, nothing deleted yet

    coach_client = client.__class__()
    coach_client.force_login(coach)
    assert "to delete the account" in coach_client.get("/en/account/coach/").content.decode()
    confirm = coach_client.get(f"/en/account/coach/learners/{learner.pk}/delete/").content.decode()
    assert "<bdi>Marie</bdi> asked for this on" in confirm
    response = coach_client.post(f"/en/account/coach/learners/{learner.pk}/delete/", follow=True)
    assert "The account of Marie and all their learning records are deleted." in response.content.decode()
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Statement.objects.filter(user_id=learner.pk).exists()
    assert not LearnerSignIn.objects.filter(user_id=learner.pk).exists()


def test_a_learner_can_take_back_the_question(client, pin_learner):
    client.force_login(pin_learner.learner)
    client.post("/en/account/delete/", {"action": "request"})
    client.post("/en/account/delete/", {"action": "cancel"})
    pin_learner.learner.refresh_from_db()
    assert pin_learner.learner.deletion_requested_at is None


def test_the_account_page_links_to_download_and_delete(client, pin_learner):
    client.force_login(pin_learner.learner)
    html = client.get("/en/account/").content.decode()
    assert 'href="/en/account/my-data/"' in html and 'href="/en/account/delete/"' in html
    assert 'href="/en/account/coach/"' not in html


def test_nobody_else_gets_a_learners_data_whatever_their_role(client, pin_learner, lesson):
    """The download and "My learning" always answer for the person signed in: the learner's coach, a
    manager, an editor or the coordinator get their own (empty) data, never the learner's."""
    from django.urls import reverse

    from tests.factories import CoachFactory, CoordinatorFactory, EditorFactory, ManagerFactory, UserFactory

    for username, factory in (
        ("coach", CoachFactory),
        ("manager", ManagerFactory),
        ("redacteur", EditorFactory),
        ("coordinator", CoordinatorFactory),
        ("leerling", UserFactory),
    ):
        factory(username=username, password=f"oefen-{username}-2026")
    ids = learn_something(pin_learner.learner, lesson, count=2)
    for username in ("coach", "manager", "redacteur", "coordinator", "leerling"):
        assert client.login(username=username, password=f"oefen-{username}-2026"), username
        data, body = my_data(client.get("/en/account/my-data/"))
        assert data["profile"]["learner_id"] != str(pin_learner.learner.public_id), username
        assert not any(statement_id in body for statement_id in ids), username
        assert "Marie" not in client.get(reverse("progress:my_learning")).content.decode(), username
        client.logout()
