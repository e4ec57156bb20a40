"""h5p's part of the data download (see `accounts.privacy`): the exercises and libraries an editor uploaded.

Erasing the editor keeps the exercises (they are the site's content) and forgets who uploaded them.
"""

from django.utils.translation import gettext as _

from accounts.privacy import DataSection, ProviderBase

from .models import H5PContent, H5PLibrary


class H5PProvider(ProviderBase):
    name = "h5p"
    models = ("h5p.H5PContent", "h5p.H5PLibrary")

    def data_sections(self, *, user) -> list[DataSection]:
        rows = [
            {"title": row.title, "uploaded_at": row.uploaded_at.isoformat()}
            for row in H5PContent.objects.filter(uploaded_by=user).order_by("uploaded_at", "pk")
        ] + [
            {"title": row.folder_name, "uploaded_at": row.installed_at.isoformat()}
            for row in H5PLibrary.objects.filter(installed_by=user).order_by("installed_at", "pk")
        ]
        if not rows:
            return []
        return [
            DataSection(
                key="h5p_uploads",
                title=_("H5P exercises you uploaded"),
                labels={"title": _("Title"), "uploaded_at": _("Uploaded on")},
                rows=rows,
            )
        ]
