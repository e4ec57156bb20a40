"""Let the Wagtail "Editors" group publish pages (and so their translations), not only draft them.

Wagtail gives Editors add and change on the root page and leaves publishing to "Moderators", but the
e-inclusion team has no separate moderators: an editor writes, checks and publishes a lesson. The
permission sits on the root page, so it covers the lessons of every language.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page").first()
    if root is None or permission is None:
        return
    editors, _ = Group.objects.get_or_create(name="Editors")
    GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Editors", page__depth=1, permission__codename="publish_page"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0007_help_point_opening_times_and_district"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
