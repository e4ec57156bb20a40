"""H5P packages: shared libraries and the content that uses them.

A library (machine name + major.minor) is stored once and shared by every package that needs it. A
content row is one uploaded exercise; its import runs as a Celery task and moves through
queued -> validating -> ready, or ends as rejected with the reasons.

Files live in the default storage under `h5p/libraries/<Machine>-<major>.<minor>/` and
`h5p/content/<key>/` (with `h5p.json` and `content/content.json`), the layout h5p-standalone reads.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .storage import h5p_storage_get


class H5PLibrary(models.Model):
    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"), default=0)
    title = models.CharField(_("title"), max_length=255)
    runnable = models.BooleanField(_("runnable"), default=False)
    library_json = models.JSONField(_("library.json"), default=dict)
    installed_at = models.DateTimeField(auto_now_add=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="one_h5p_library_per_version"
            )
        ]
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        permissions = [("install_h5plibrary", _("Can add or upgrade H5P libraries"))]

    def __str__(self):
        return self.folder_name

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    @property
    def storage_prefix(self) -> str:
        return f"libraries/{self.folder_name}/"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    VALIDATING = "validating", _("Checking")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", pgettext_lazy("H5P import", "Failed")


class H5PContent(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    upload = models.FileField(_("H5P file"), upload_to="uploads/", storage=h5p_storage_get, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # Each problem: {"rule": "...", "file": "...", "message": "..."} (message already in the editor's language).
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # Same shape as errors: what the import skipped without refusing the package (stray top-level files).
    notices = models.JSONField(_("notices"), default=list, blank=True)
    # When the status last changed: a queued or checking import that has not moved for
    # H5P_IMPORT_STUCK_SECONDS is stuck (its worker died, say) and may be tried again.
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    # Raised by every retry; a task carries the attempt it was sent for, so a late task of an earlier
    # attempt does nothing.
    import_attempt = models.PositiveIntegerField(default=0)
    main_library = models.ForeignKey(H5PLibrary, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    libraries = models.ManyToManyField(H5PLibrary, blank=True, related_name="contents")
    h5p_json = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("H5P exercise")
        verbose_name_plural = _("H5P exercises")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    @property
    def storage_prefix(self) -> str:
        return f"content/{self.key}/"

    @property
    def is_ready(self) -> bool:
        return self.status == ImportStatus.READY

    @property
    def is_stuck(self) -> bool:
        if self.status not in (ImportStatus.QUEUED, ImportStatus.VALIDATING):
            return False
        waited = (timezone.now() - self.status_changed_at).total_seconds()
        return waited > settings.H5P_IMPORT_STUCK_SECONDS

    @property
    def can_retry(self) -> bool:
        """A failed import keeps its upload and may run again; so may a stuck one."""
        return bool(self.upload) and (self.status == ImportStatus.FAILED or self.is_stuck)

    @property
    def can_remove(self) -> bool:
        """Removed from the H5P screen: anything that is not ready and not being checked right now."""
        return self.status in (ImportStatus.FAILED, ImportStatus.REJECTED) or self.is_stuck
