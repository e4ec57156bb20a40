"""Where managers and staff find the training pages: the account page (like coaches' groups) and the menu."""

from datetime import date

import pytest
from django.urls import reverse

from training import services

from .conftest import make_staff


@pytest.fixture
def karim(django_user_model, park_team, required):
    staff = make_staff(django_user_model, park_team, "G-1", "Karim El Amrani")
    services.enrolments_sync(today=date(2026, 11, 1))
    return staff


def test_managers_find_the_compliance_pages_on_their_account_page(client, manager):
    client.force_login(manager)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("training:manager_home")}"' in page
    home = client.get(reverse("training:manager_home")).content.decode()
    assert f'href="{reverse("training:manager_home")}" aria-current="page"' in home


def test_staff_find_their_own_training_in_the_menu_and_on_their_account_page(client, karim):
    client.force_login(karim.user)
    mine = reverse("training:my_training")
    account = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{mine}"' in account
    assert f'<li><a href="{mine}">' in account  # in the menu, not the current page here
    page = client.get(mine).content.decode()
    assert f'<li><a href="{mine}" aria-current="page">' in page
    assert f'href="{reverse("training:manager_home")}"' not in page


def test_people_without_training_see_no_training_links(client, django_user_model, site_pages):
    someone = django_user_model.objects.create_user("fien", password="een-lang-wachtwoord", display_name="Fien")
    client.force_login(someone)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "/training/" not in page


def test_a_message_is_shown_once_also_on_pages_that_place_their_own(client, manager, park_team):
    client.force_login(manager)
    data = b"employee_number;name;department;team;start_date\nG-1;Karim;Groendienst;Ploeg Vrijbroekpark;2019-03-01\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("training:staff_import"), {"file": SimpleUploadedFile("personeel.csv", data, "text/csv")}
    )
    page = response.content.decode()
    assert page.count('class="messages"') == 1
