"""The roles of the platform, as Django groups. Editors reuse Wagtail's own "Editors" group."""

from django.utils.translation import gettext_lazy as _

LEARNERS = "Learners"
COACHES = "Coaches"
TRAINING_MANAGERS = "Training managers"
EDITORS = "Editors"
# The city's coordinator: programme figures across partners, aggregates only (coaching.figures).
PROGRAMME_COORDINATORS = "Programme coordinators"

ROLE_LABELS = {
    LEARNERS: _("Learner"),
    COACHES: _("Coach"),
    TRAINING_MANAGERS: _("Training manager"),
    EDITORS: _("Editor"),
    PROGRAMME_COORDINATORS: _("Programme coordinator"),
}


def user_has_role(user, *names: str) -> bool:
    """Signed in, active and in one of these roles: the one role check behind every role's pages and services."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name__in=names).exists()
