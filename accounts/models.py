import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles
from .pin_hasher import pin_check, pin_hash


class User(AbstractUser):
    """The one user model for learners, coaches, managers and editors.

    Learners often have no e-mail address; a display name (a first name or nickname) is enough.
    Learners made by a coach sign in with a learner code and a PIN or pictures (`LearnerSignIn`);
    `created_by` is that coach, and only that coach manages them.
    """

    # The learner's pseudonymous id in learning records (xAPI actor); never the user name.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name shown on the site"), max_length=80, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_users",
    )
    # Set when a learner without a password asks to delete their account; their coach confirms it.
    deletion_requested_at = models.DateTimeField(_("asked to delete the account on"), null=True, blank=True)
    # Set once when the account was unused for PRIVACY_INACTIVE_DAYS and its coach was told (accounts.retention);
    # cleared when the learner signs in again, so the account stays.
    inactivity_notice_at = models.DateTimeField(_("coach told the account is not used on"), null=True, blank=True)
    # Text size, contrast, motion and spacing (accounts/display.py); guests keep theirs in the browser.
    display_preferences = models.JSONField(_("display preferences"), default=dict, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("erase_person", _("Can erase a person and all their data"))]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_labels(self) -> list:
        return [roles.ROLE_LABELS[group.name] for group in self.groups.all() if group.name in roles.ROLE_LABELS]


class SignInKind(models.TextChoices):
    PIN = "pin", _("PIN (4 numbers)")
    PICTURES = "pictures", _("Three pictures")


class LearnerSignIn(models.Model):
    """How a learner signs in on a shared computer: a short code plus a PIN or three pictures in order.

    The code names the learner (it is printed on their card and may be in a QR code); the secret is
    only ever stored hashed, like a password. Coaches see the secret once, when it is made.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_sign_in")
    # Normalised: 6 characters of accounts.credentials.CODE_ALPHABET, without dash.
    code = models.CharField(_("learner code"), max_length=12, unique=True)
    kind = models.CharField(_("sign in with"), max_length=10, choices=SignInKind.choices)
    secret = models.CharField(max_length=128)
    secret_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner sign-in")

    def __str__(self):
        return self.code

    def secret_set(self, raw: str) -> None:
        self.secret = pin_hash(raw)  # keyed and hashed: accounts/pin_hasher.py says why

    def secret_check(self, raw: str) -> bool:
        def store_again(raw_again):
            self.secret_set(raw_again)
            self.save(update_fields=["secret"])

        return pin_check(raw, self.secret, store_again=store_again)


# --- Sheets of sign-in cards (coaching's for a group, training's for a team; see accounts/card_sheets.py) ---


def card_sheet_statuses(*, failed: str, module: str) -> type[models.TextChoices]:
    """The statuses of a sheet of sign-in cards, with `failed` as the name of a failed sheet.

    Coaching calls it "Not made", training "Failed" (`CardSheetStatus` below): the label is shown in each
    app's list and is part of its migrations, so coaching makes its own class here, named in `module`.
    The values are the same, so the shared code uses `CardSheetStatus` for every app's sheets.
    """
    members = [
        ("WAITING", ("waiting", _("Waiting"))),
        ("BUSY", ("busy", _("Being made"))),
        ("READY", ("ready", _("Ready"))),
        ("FAILED", ("failed", failed)),
        ("REMOVED", ("removed", _("Removed"))),
    ]
    return models.TextChoices("CardSheetStatus", members, module=module)


CardSheetStatus = card_sheet_statuses(failed=_("Failed"), module=__name__)


class CardSheetBase(models.Model):
    """A PDF sheet of sign-in cards, made by the app's Celery task with `accounts.card_sheets`.

    The PDF holds readable PINs, so it lives under PRIVATE_MEDIA_ROOT (`accounts.cards`), is handed out
    only to the person who asked, and is removed a day later. `file_name` is the name inside the app's
    folder: empty until the sheet is ready and again once it is removed.

    The app adds `status` (with choices from `card_sheet_statuses`), the person who asked, the group or
    team, and who is on the sheet, and names the two foreign keys in `OWNER_FIELD` and `SCOPE_FIELD`.
    """

    OWNER_FIELD = ""
    SCOPE_FIELD = ""

    file_name = models.CharField(max_length=100, blank=True)
    card_count = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    problem = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("sheet of sign-in cards")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def owner(self):
        return getattr(self, self.OWNER_FIELD)

    @property
    def owner_id(self) -> int:
        return getattr(self, f"{self.OWNER_FIELD}_id")

    @property
    def scope(self):
        return getattr(self, self.SCOPE_FIELD)


class ThrottleCounter(models.Model):
    """A wrong-try count, pause or strike count of accounts/throttle.py, written here only while Redis is
    unreachable, so sign-in keeps its limits without Redis. The key is the throttle's hashed cache key; no
    user name, code or address is stored. Rows expire like their cache keys and are removed on the next write.
    """

    key = models.CharField(max_length=64, unique=True)
    value = models.FloatField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("sign-in counter")

    def __str__(self):
        return self.key
