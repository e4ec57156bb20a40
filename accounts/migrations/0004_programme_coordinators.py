"""The role group of the city's programme coordinator (see accounts/roles.py)."""

from django.db import migrations

NAME = "Programme coordinators"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_learner_sign_in")]

    operations = [migrations.RunPython(create_group, remove_group)]
