"""Learners sign in on shared computers with a learner code plus a PIN or three pictures."""

import re

from django.contrib.auth.hashers import check_password
from django.utils import translation

from accounts.credentials import CODE_ALPHABET, code_format
from accounts.demo import DEMO_LEARNER_CODE, DEMO_LEARNER_PIN, demo_users_ensure
from accounts.models import LearnerSignIn

from .support import SIGN_IN, STEP_TWO, code_of, pictures_data, sign_in_with_code, wrong_pin


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_code_and_pin_sign_in(client, pin_learner):
    step_one = client.post(SIGN_IN, {"learner_code": code_of(pin_learner)})
    assert step_one.status_code == 302 and step_one["Location"] == STEP_TWO

    page = client.get(STEP_TWO).content.decode()
    assert "Marie" in page
    assert 'href="/en/account/login/"' in page  # "This is not me"

    response = client.post(STEP_TWO, {"pin": pin_learner.secret})
    assert response.status_code == 302
    assert response["Location"] == "/fr/my-learning/"  # "My learning", in the learner's own language
    assert signed_in_user_id(client) == str(pin_learner.learner.pk)


def test_pictures_sign_in(client, picture_learner):
    page = client.post(SIGN_IN, {"learner_code": code_of(picture_learner)}, follow=True).content.decode()
    assert page.count('type="radio"') == 36  # three groups of the 12 pictures
    assert "<fieldset" in page and "<legend>" in page
    assert 'alt=""' in page and "/static/accounts/pictures/sun.svg" in page

    response = client.post(STEP_TWO, pictures_data(picture_learner.secret))
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(picture_learner.learner.pk)


def test_pictures_in_the_wrong_order_do_not_sign_in(client, picture_learner):
    first, second, third = picture_learner.secret.split(",")
    response = sign_in_with_code(client, code_of(picture_learner), pictures_data(f"{third},{second},{first}"))
    assert response.status_code == 200
    assert "not in the right order" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_picture_names_are_translated(client, picture_learner):
    client.post("/ar/account/login/", {"learner_code": code_of(picture_learner)})
    page = client.get("/ar/account/login/learner/").content.decode()
    with translation.override("ar"):
        sun = translation.pgettext("sign-in picture", "Sun")
    assert sun != "Sun" and sun in page


def test_code_typing_ignores_case_spaces_and_dashes(client, pin_learner):
    code = code_of(pin_learner)
    typed = f" {code[:3].lower()} - {code[3:].lower()} "
    response = sign_in_with_code(client, typed, {"pin": pin_learner.secret})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(pin_learner.learner.pk)


def test_arabic_indic_digits_are_understood(client, pin_learner):
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    response = sign_in_with_code(
        client, code_of(pin_learner).translate(arabic), {"pin": pin_learner.secret.translate(arabic)}
    )
    assert response.status_code == 302


def test_wrong_pin_gets_a_translated_message_and_no_session(client, pin_learner):
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)}, language="fr")
    assert response.status_code == 200
    with translation.override("fr"):
        message = translation.ngettext(
            "This PIN is not right. You can try %(count)s more time.",
            "This PIN is not right. You can try %(count)s more times.",
            4,
        ) % {"count": 4}
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert signed_in_user_id(client) is None
    assert wrong_pin(pin_learner.secret) not in html  # the typed PIN is never shown again


def test_a_pin_with_letters_is_refused_plainly(client, pin_learner):
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": "12ab"})
    html = response.content.decode()
    assert "Type the 4 numbers of your PIN." in html
    assert 'aria-invalid="true"' in html


def test_unknown_code_gets_a_message(client, db):
    response = client.post(SIGN_IN, {"learner_code": "ZZZ-ZZZ"})
    assert response.status_code == 200
    assert "We do not know this learner code." in response.content.decode()
    assert "accounts_pending_learner" not in client.session


def test_badly_formed_code_gets_a_message(client, db):
    response = client.post(SIGN_IN, {"learner_code": "O0I1"})
    html = response.content.decode()
    assert "A learner code has 6 letters and numbers, like K7M-4PX." in html
    assert 'aria-invalid="true"' in html and "autofocus" in html


def test_this_is_not_me_forgets_the_code(client, pin_learner):
    client.post(SIGN_IN, {"learner_code": code_of(pin_learner)})
    page = client.get(STEP_TWO).content.decode()
    not_me = re.search(r'<a class="button button-secondary" href="([^"]+)">This is not me</a>', page)
    assert not_me is not None

    start = client.get(not_me.group(1)).content.decode()
    assert "Marie" not in start
    assert code_format(code=code_of(pin_learner)) not in start
    assert client.get(STEP_TWO)["Location"] == SIGN_IN  # step 2 is gone
    assert client.post(STEP_TWO, {"pin": pin_learner.secret}).status_code == 302
    assert signed_in_user_id(client) is None


def test_step_two_without_step_one_goes_back_to_the_start(client, db):
    assert client.get(STEP_TWO)["Location"] == SIGN_IN


def test_code_in_the_address_fills_in_the_field(client, pin_learner):
    code = code_of(pin_learner)
    html = client.get(f"{SIGN_IN}?code={code.lower()}").content.decode()
    assert f'value="{code_format(code=code)}"' in html
    assert "Marie" not in html  # the learner still presses Next; nobody else's name is shown


def test_a_strange_code_in_the_address_is_shown_escaped(client, db):
    html = client.get(SIGN_IN + '?code="><script>').content.decode()
    assert "<script>" not in html.split("<main", 1)[1]


def test_pin_field_is_not_a_password_field(client, pin_learner):
    client.post(SIGN_IN, {"learner_code": code_of(pin_learner)})
    html = client.get(STEP_TWO).content.decode()
    field = re.search(r"<input[^>]*name=\"pin\"[^>]*>", html).group(0)
    assert 'type="text"' in field
    assert 'inputmode="numeric"' in field
    assert 'autocomplete="off"' in field
    assert 'class="pin-input"' in field
    assert "value=" not in field
    assert 'type="password"' not in html
    assert '<label for="id_pin">' in html


def test_both_ways_to_sign_in_are_on_the_one_sign_in_page(client, db):
    html = client.get(SIGN_IN).content.decode()
    assert 'name="learner_code"' in html
    assert 'name="username"' in html and 'type="password"' in html


def test_next_is_kept_through_both_steps(client, pin_learner):
    client.post(SIGN_IN, {"learner_code": code_of(pin_learner), "next": "/nl/search/"})
    response = client.post(STEP_TWO, {"pin": pin_learner.secret})
    assert response["Location"] == "/nl/search/"


def test_an_outside_next_is_ignored(client, pin_learner):
    client.post(SIGN_IN, {"learner_code": code_of(pin_learner), "next": "https://evil.example/"})
    response = client.post(STEP_TWO, {"pin": pin_learner.secret})
    assert response["Location"] == "/fr/my-learning/"


def test_a_switched_off_learner_cannot_sign_in(client, pin_learner):
    pin_learner.learner.is_active = False
    pin_learner.learner.save()
    response = client.post(SIGN_IN, {"learner_code": code_of(pin_learner)})
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_secrets_are_stored_hashed(pin_learner, picture_learner):
    for new in (pin_learner, picture_learner):
        stored = LearnerSignIn.objects.get(user=new.learner)
        assert new.secret not in stored.secret
        assert check_password(new.secret, stored.secret)
        assert all(char in CODE_ALPHABET for char in stored.code) and len(stored.code) == 6
        assert not new.learner.has_usable_password()


def test_demo_learner_signs_in_with_code_and_pin(client, db):
    demo_users_ensure()
    response = sign_in_with_code(client, code_format(code=DEMO_LEARNER_CODE), {"pin": DEMO_LEARNER_PIN})
    assert response.status_code == 302
    learner = LearnerSignIn.objects.get(code=DEMO_LEARNER_CODE).user
    assert learner.username == "leerling"
    assert learner.created_by.username == "coach"


def test_demo_learner_code_is_made_once(db):
    demo_users_ensure()
    before = LearnerSignIn.objects.get(code=DEMO_LEARNER_CODE).secret
    result = demo_users_ensure()
    assert LearnerSignIn.objects.get(code=DEMO_LEARNER_CODE).secret == before
    printed = dict((username, how) for _role, username, how, _created in result)
    assert DEMO_LEARNER_PIN in printed["leerling"] and code_format(code=DEMO_LEARNER_CODE) in printed["leerling"]
