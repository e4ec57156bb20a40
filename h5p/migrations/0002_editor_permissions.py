"""Let the Wagtail "Editors" group upload, rename, see and delete H5P exercises.

Installing or upgrading H5P libraries (`h5p.install_h5plibrary`) is deliberately not granted: library
code runs for every learner, so only superusers have it by default. Give it to a dedicated group (for
example "Library managers") when someone else must install libraries.
"""

from django.db import migrations

CODENAMES = ["add_h5pcontent", "change_h5pcontent", "view_h5pcontent", "delete_h5pcontent"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="h5p", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*Permission.objects.filter(content_type__app_label="h5p", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
