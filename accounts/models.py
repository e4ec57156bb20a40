import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles


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
    # Text size, contrast, motion and spacing (accounts/display.py); guests keep theirs in the browser.
    display_preferences = models.JSONField(_("display preferences"), default=dict, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

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
        self.secret = make_password(raw)

    def secret_check(self, raw: str) -> bool:
        def upgrade(raw_again):
            self.secret_set(raw_again)
            self.save(update_fields=["secret"])

        return check_password(raw, self.secret, setter=upgrade)
