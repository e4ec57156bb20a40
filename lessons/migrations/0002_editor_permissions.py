"""Let the Wagtail "Editors" group manage help points and submit translations through wagtail-localize."""

from django.db import migrations

HELP_POINT_CODENAMES = ["add_helppoint", "change_helppoint", "delete_helppoint"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    permissions = list(Permission.objects.filter(content_type__app_label="lessons", codename__in=HELP_POINT_CODENAMES))
    permissions += list(Permission.objects.filter(content_type__app_label="wagtail_localize", codename="submit_translation"))
    permissions += list(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    editors.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0001_initial"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
