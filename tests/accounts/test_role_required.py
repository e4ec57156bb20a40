"""The one access check of the role pages (accounts/decorators.py): sign-in page, 403, never cached."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts import roles
from accounts.decorators import access_required, role_required

pytestmark = pytest.mark.django_db


@role_required(roles.COACHES, roles.TRAINING_MANAGERS)
def _staff_page(request):
    return HttpResponse("the page")


def _request(user):
    request = RequestFactory().get("/en/somewhere/?page=2")
    request.user = user
    return request


def _person(django_user_model, name: str, *role_names: str, active: bool = True):
    user = django_user_model.objects.create_user(name, password=f"{name}-wachtwoord", is_active=active)
    for role in role_names:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_an_anonymous_visitor_goes_to_the_sign_in_page_and_comes_back_after():
    response = _staff_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/en/somewhere/%3Fpage%3D2")


@pytest.mark.parametrize("role", [roles.COACHES, roles.TRAINING_MANAGERS])
def test_a_person_with_one_of_the_roles_sees_the_page_never_cached(django_user_model, role):
    response = _staff_page(_request(_person(django_user_model, "with-role", role)))
    assert response.content == b"the page"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", [roles.LEARNERS, roles.PROGRAMME_COORDINATORS, roles.EDITORS])
def test_a_signed_in_person_without_the_role_gets_403(django_user_model, role):
    with pytest.raises(PermissionDenied):
        _staff_page(_request(_person(django_user_model, "other-role", role)))


def test_a_switched_off_account_gets_403_even_with_the_role(django_user_model):
    with pytest.raises(PermissionDenied):
        _staff_page(_request(_person(django_user_model, "switched-off", roles.COACHES, active=False)))


def test_access_required_asks_its_own_rule(django_user_model):
    page = access_required(lambda user: user.username.startswith("ok-"))(lambda request: HttpResponse("in"))
    assert page(_request(_person(django_user_model, "ok-person"))).content == b"in"
    with pytest.raises(PermissionDenied):
        page(_request(_person(django_user_model, "no-person")))
