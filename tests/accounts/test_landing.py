"""The first day of every role: where each person lands after signing in, and their own links in the header."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from accounts.demo import demo_users_ensure

LOGIN = "/nl/account/login/"
PASSWORDS = {
    "leerling": "oefen-leerling-2026",
    "coach": "oefen-coach-2026",
    "manager": "oefen-manager-2026",
    "coordinator": "oefen-coordinator-2026",
    "redacteur": "oefen-redacteur-2026",
}
# Each role's page, and the header link that leads there (msgid), in the order of accounts/navigation.py.
LANDING = {
    "leerling": ("/nl/my-learning/", None),
    "coach": ("/nl/coach/groups/", "My groups"),
    "manager": ("/nl/training/", "Follow up training"),
    "coordinator": ("/nl/coach/figures/", "Figures"),
    "redacteur": ("/admin/", "Admin"),
}


@pytest.fixture
def demo_people(demo_site):
    demo_users_ensure()
    call_command("load_demo_coaching", stdout=None)
    call_command("load_demo_training", stdout=None)


def sign_in(client, username: str, next_url: str = ""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORDS[username]})


@pytest.mark.parametrize("username", list(LANDING))
def test_every_role_lands_on_its_own_page_and_that_page_opens(client, demo_people, username):
    response = sign_in(client, username)
    assert response.status_code == 302
    assert response["Location"] == LANDING[username][0]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("username", ["leerling", "coach", "redacteur"])
def test_an_explicit_next_still_wins(client, demo_people, username):
    response = sign_in(client, username, next_url="/nl/oefenen/")
    assert response["Location"] == "/nl/oefenen/"


def test_a_foreign_next_is_ignored_for_the_roles_page(client, demo_people):
    response = sign_in(client, "coach", next_url="https://evil.example/")
    assert response["Location"] == "/nl/coach/groups/"


def test_a_learner_with_a_code_and_pin_lands_on_my_learning(client, demo_people):
    client.post(LOGIN, {"learner_code": "LEE-R26"})
    response = client.post("/nl/account/login/learner/", {"pin": "2580"})
    assert response.status_code == 302 and response["Location"] == "/nl/my-learning/"


def test_the_preferred_language_decides_the_landing_language(client, demo_people, django_user_model):
    django_user_model.objects.filter(username="coach").update(preferred_language="ar")
    assert sign_in(client, "coach")["Location"] == "/ar/coach/groups/"


def _menu_links(html: str) -> dict[str, str]:
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return {
        re.sub(r"\s+", " ", text).strip(): href
        for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav)
    }


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
@pytest.mark.parametrize("username", list(LANDING))
def test_the_header_shows_each_roles_own_link_in_every_language(client, demo_people, username, language):
    sign_in(client, username)
    links = _menu_links(client.get(f"/{language}/").content.decode())
    with translation.override(language):
        own = {gettext(msgid) for _user, (_url, msgid) in LANDING.items() if msgid}
        for other_user, (url, msgid) in LANDING.items():
            if msgid is None:
                continue
            label = gettext(msgid)
            if other_user == username:
                assert links.get(label, "").endswith(url.removeprefix("/nl")), (label, links)
            else:
                assert label not in links, f"{username} sees {label!r}"
        assert gettext("My learning") in links
        assert len(own) == 4  # four different names


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_my_learning_and_required_training_have_clearly_different_names(client, demo_people, language):
    sign_in(client, "leerling")  # staff with required training: both links show
    links = _menu_links(client.get(f"/{language}/").content.decode())
    with translation.override(language):
        mine, required = gettext("My learning"), gettext("My required training")
    assert mine in links and required in links
    assert mine != required and mine.split()[-1] != required.split()[-1]
    if language == "nl":
        assert (mine, required) == ("Mijn leren", "Mijn verplichte opleiding")


def test_my_learning_lists_required_training_apart_from_the_coachs_tasks(client, demo_people):
    sign_in(client, "leerling")
    response = client.get("/nl/my-learning/")
    learning = response.context["learning"]
    assert learning.required and learning.assigned
    html = response.content.decode()
    with translation.override("nl"):
        required_title = gettext("Required training for your work")
        coach_title = gettext("Given to you by your coach")
    assert html.index(required_title) < html.index(coach_title) < html.index('id="resume-title"')
    required = html.split(required_title, 1)[1].split("</section>", 1)[0]
    coach = html.split(coach_title, 1)[1].split("</section>", 1)[0]
    for entry in learning.required:
        assert entry.due and entry.page.title in required
    for entry in learning.assigned:
        assert entry.page.title in coach
    assert "Verplichte opleiding:" not in coach  # required training is never "from your coach"
    assert "Maak af voor" in required or "Te laat" in required
