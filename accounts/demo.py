"""Demo sign-ins for the embedded default. Never used in production (the command refuses there)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles

DEMO_USERS = [
    # (role group, user name, password, display name, staff?)
    (roles.LEARNERS, "leerling", "oefen-leerling-2026", "Fatima", False),
    (roles.COACHES, "coach", "oefen-coach-2026", "Coach Jan", False),
    (roles.TRAINING_MANAGERS, "manager", "oefen-manager-2026", "Els (opleidingen)", False),
    (roles.EDITORS, "redacteur", "oefen-redacteur-2026", "Redactie e-inclusie", True),
]


def demo_users_ensure() -> list[tuple[str, str, str, bool]]:
    """Create the demo users once; return (role, user name, password, created) for printing."""
    User = get_user_model()
    result = []
    for role, username, password, display_name, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, "is_staff": is_staff}
        )
        if created:
            user.set_password(password)
            user.save()
            group, _ = Group.objects.get_or_create(name=role)
            user.groups.add(group)
        result.append((role, username, password, created))
    return result
