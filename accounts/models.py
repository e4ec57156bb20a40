import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles


class User(AbstractUser):
    """The one user model for learners, coaches, managers and editors.

    Learners often have no e-mail address; a display name (a first name or nickname) is enough.
    """

    # The learner's pseudonymous id in learning records (xAPI actor); never the user name.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name shown on the site"), max_length=80, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_labels(self) -> list:
        return [roles.ROLE_LABELS[group.name] for group in self.groups.all() if group.name in roles.ROLE_LABELS]
