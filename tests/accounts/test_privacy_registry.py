"""Every model that links to a person is answered for by an app's privacy provider (accounts.privacy)."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.privacy import PrivacyProvider, privacy_models_covered, privacy_providers


def models_linked_to_people() -> set[str]:
    """Models with a foreign key, one-to-one or many-to-many of their own to the user model."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is user_model:
                found.add(model._meta.label)
    return found


def test_every_model_linked_to_a_person_has_a_provider():
    linked = models_linked_to_people()
    assert {"progress.Statement", "training.StaffMember", "coaching.CoachGroup", "accounts.User"} <= linked
    missing = linked - privacy_models_covered()
    assert not missing, f"Register a privacy provider (accounts.privacy) that answers for: {sorted(missing)}"


def test_providers_name_only_models_that_exist_and_follow_the_protocol():
    for provider in privacy_providers():
        assert isinstance(provider, PrivacyProvider), provider
        for label in provider.models:
            apps.get_model(label)  # raises LookupError for a typo


def test_the_walk_sees_a_new_link_to_people(monkeypatch):
    """The check is not vacuous: a model that links to people and is answered for by nobody is found."""
    from django.db import models

    class Diary(models.Model):  # noqa: DJ008
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)

        class Meta:
            app_label = "accounts"

    try:
        assert "accounts.Diary" in models_linked_to_people() - privacy_models_covered()
    finally:
        apps.all_models["accounts"].pop("diary", None)
        apps.clear_cache()


def test_accounts_imports_no_app_above_it():
    import pathlib

    for path in (pathlib.Path(settings.BASE_DIR) / "accounts").glob("*.py"):
        text = path.read_text()
        for app in ("progress", "coaching", "training", "sandboxes", "readaloud", "h5p", "lessons"):
            assert f"from {app}" not in text and f"import {app}" not in text, (path, app)
