"""Let the Wagtail "Editors" group build, change, translate and remove simulator scenarios (snippet "Simulators").

A scenario has no draft state: saving it is publishing it, so these four permissions are all an
editor needs to open, edit, preview and publish one.
"""

from django.db import migrations

CODENAMES = ["add_scenario", "change_scenario", "delete_scenario", "view_scenario"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="sandboxes", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="sandboxes", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sandboxes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
