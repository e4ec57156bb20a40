"""Coaches make learner accounts, print sign-in cards, give new secrets, unlock and delete; only their own."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password
from django.test import Client

from accounts import services
from accounts.credentials import PICTURES_BY_KEY, code_format
from accounts.demo import demo_users_ensure
from accounts.models import LearnerSignIn, SignInKind
from coaching import learner_views
from tests.factories import CoordinatorFactory, EditorFactory, ManagerFactory

from .support import code_of, sign_in_with_code, wrong_pin

COACH = "/en/account/coach/"


def learner_urls(pk: int) -> list[tuple[str, str]]:
    base = f"{COACH}learners/{pk}/"
    return [
        ("get", base + "card/"),
        ("get", base + "reset/"),
        ("post", base + "reset/"),
        ("post", base + "unlock/"),
        ("get", base + "one-time-code/"),
        ("post", base + "one-time-code/"),
        ("get", base + "delete/"),
        ("post", base + "delete/"),
    ]


def test_coach_makes_a_pin_learner_and_sees_the_pin_once(coach_client, coach):
    response = coach_client.post(
        f"{COACH}learners/new/", {"display_name": "  Josée  ", "preferred_language": "fr", "kind": "pin"}
    )
    assert response.status_code == 302
    sign_in = LearnerSignIn.objects.get(user__created_by=coach, user__display_name="Josée")
    assert response["Location"] == f"{COACH}learners/{sign_in.user.pk}/card/"
    assert sign_in.user.preferred_language == "fr" and sign_in.user.email == ""

    card = coach_client.get(response["Location"]).content.decode()
    pin = re.search(r'<dd class="card-pin"><span class="code-text">(\d{4})</span>', card).group(1)
    assert check_password(pin, sign_in.secret)
    assert code_format(code=sign_in.code) in card
    assert "<svg" in card

    again = coach_client.get(response["Location"]).content.decode()
    assert pin not in re.sub(r"<svg.*?</svg>", "", again, flags=re.S)  # shown once
    assert code_format(code=sign_in.code) in again


def test_coach_makes_a_picture_learner(coach_client, coach):
    response = coach_client.post(
        f"{COACH}learners/new/", {"display_name": "Omar", "preferred_language": "ar", "kind": "pictures"}, follow=True
    )
    card = response.content.decode()
    sign_in = LearnerSignIn.objects.get(user__created_by=coach, user__display_name="Omar")
    assert sign_in.kind == SignInKind.PICTURES
    shown = re.findall(r"/static/accounts/pictures/(\w+)\.svg", card.split('class="card-pictures"', 1)[1])
    assert len(shown) == 3 and all(key in PICTURES_BY_KEY for key in shown)
    assert check_password(",".join(shown), sign_in.secret)
    assert 'lang="ar" dir="rtl"' in card  # the card is in the learner's language


def test_an_empty_name_is_refused_and_nothing_is_made(coach_client, coach):
    response = coach_client.post(
        f"{COACH}learners/new/", {"display_name": "   ", "preferred_language": "nl", "kind": "pin"}
    )
    assert response.status_code == 200
    assert "Type a first name or a nickname." in response.content.decode()
    assert not LearnerSignIn.objects.filter(user__created_by=coach).exists()


def test_card_has_the_code_and_a_qr_code_of_the_sign_in_address(coach_client, pin_learner):
    html = coach_client.get(f"{COACH}learners/{pin_learner.learner.pk}/card/").content.decode()
    code = code_of(pin_learner)
    assert code_format(code=code) in html
    assert "<svg" in html
    # The QR code holds the absolute sign-in address, in the learner's language, with the code filled in.
    assert learner_views._qr_svg(f"http://testserver/fr/account/login/?code={code}") in html
    assert "http://testserver/fr/account/login/" in html
    assert "@media print" in (Path(django_settings.BASE_DIR) / "learn/static/learn/css/site.css").read_text()


def test_reset_gives_a_new_pin_and_the_old_one_stops_working(coach_client, pin_learner):
    client = Client()
    old = pin_learner.secret
    response = coach_client.post(f"{COACH}learners/{pin_learner.learner.pk}/reset/", {"kind": "pin"}, follow=True)
    new = re.search(r'<dd class="card-pin"><span class="code-text">(\d{4})</span>', response.content.decode()).group(1)
    if new != old:
        assert sign_in_with_code(client, code_of(pin_learner), {"pin": old}).status_code == 200
    assert sign_in_with_code(client, code_of(pin_learner), {"pin": new}).status_code == 302


def test_reset_can_switch_to_pictures(coach_client, pin_learner):
    coach_client.post(f"{COACH}learners/{pin_learner.learner.pk}/reset/", {"kind": "pictures"})
    assert LearnerSignIn.objects.get(user=pin_learner.learner).kind == SignInKind.PICTURES


def test_coach_sees_only_their_own_learners(coach_client, pin_learner, other_coach):
    theirs = services.learner_create(coach=other_coach, display_name="Kenji", language="nl", kind=SignInKind.PIN)
    html = coach_client.get(COACH).content.decode()
    assert "Marie" in html
    assert "Kenji" not in html and code_format(code=code_of(theirs)) not in html


def test_another_coachs_learner_answers_404_everywhere(coach_client, other_coach):
    theirs = services.learner_create(coach=other_coach, display_name="Kenji", language="nl", kind=SignInKind.PIN)
    for method, url in learner_urls(theirs.learner.pk):
        response = getattr(coach_client, method)(url, {"kind": "pin"} if method == "post" else None)
        assert response.status_code == 404, (method, url)
    sign_in = LearnerSignIn.objects.get(user=theirs.learner)
    assert check_password(theirs.secret, sign_in.secret)  # nothing changed


def test_a_coachs_own_account_or_a_staff_member_is_not_a_learner_here(coach_client, coach, db):
    manager = ManagerFactory(username="manager")
    for pk in (coach.pk, manager.pk):
        assert coach_client.get(f"{COACH}learners/{pk}/card/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, pin_learner):
    urls = [("get", COACH), ("get", f"{COACH}learners/new/"), ("post", f"{COACH}unlock-here/")]
    for method, url in urls + learner_urls(pin_learner.learner.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/en/account/login/?next="), url


@pytest.mark.parametrize("who", ["learner", "manager", "redacteur", "coordinator"])
def test_people_who_are_not_coaches_get_403(client, pin_learner, who):
    """The learner themself, a training manager, an editor and the programme coordinator."""
    make = {"manager": ManagerFactory, "redacteur": EditorFactory, "coordinator": CoordinatorFactory}
    if who in make:
        make[who](username=who, password=f"oefen-{who}-2026")
    if who == "learner":
        client.force_login(pin_learner.learner)
    else:
        assert client.login(username=who, password=f"oefen-{who}-2026")
    urls = [("get", COACH), ("get", f"{COACH}learners/new/"), ("post", f"{COACH}learners/new/")]
    for method, url in urls + learner_urls(pin_learner.learner.pk):
        assert getattr(client, method)(url).status_code == 403, url


def test_unlock_is_a_post(coach_client, pin_learner):
    assert coach_client.get(f"{COACH}learners/{pin_learner.learner.pk}/unlock/").status_code == 405


def test_unlock_lets_the_learner_in_again(coach_client, pin_learner, settings):
    client = Client()
    settings.SIGN_IN_CODE_LIMIT = 1
    sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)})
    assert sign_in_with_code(client, code_of(pin_learner), {"pin": pin_learner.secret}).status_code == 200
    response = coach_client.post(f"{COACH}learners/{pin_learner.learner.pk}/unlock/", follow=True)
    assert "Marie can sign in again." in response.content.decode()
    assert sign_in_with_code(client, code_of(pin_learner), {"pin": pin_learner.secret}).status_code == 302


def test_the_demo_coach_sees_the_demo_learner(client, db):
    demo_users_ensure()
    assert client.login(username="coach", password="oefen-coach-2026")
    html = client.get(COACH).content.decode()
    assert "Fatima" in html and "LEE-R26" in html
