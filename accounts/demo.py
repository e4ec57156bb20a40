"""Demo sign-ins for the embedded default. Never used in production (the command refuses there)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles
from .credentials import code_format
from .models import LearnerSignIn, SignInKind

DEMO_USERS = [
    # (role group, user name, password, display name, staff?)
    (roles.LEARNERS, "leerling", "oefen-leerling-2026", "Fatima", False),
    (roles.COACHES, "coach", "oefen-coach-2026", "Coach Jan", False),
    (roles.TRAINING_MANAGERS, "manager", "oefen-manager-2026", "Els (opleidingen)", False),
    (roles.EDITORS, "redacteur", "oefen-redacteur-2026", "Redactie e-inclusie", True),
    (roles.PROGRAMME_COORDINATORS, "coordinator", "oefen-coordinator-2026", "Coördinatie Allemaal Digitaal", False),
]
# The demo learner also signs in the shared-computer way; the demo coach made them.
DEMO_LEARNER = "leerling"
DEMO_COACH = "coach"
DEMO_LEARNER_CODE = "LEER26"
DEMO_LEARNER_PIN = "2580"


def demo_users_ensure() -> list[tuple[str, str, str, bool]]:
    """Create the demo users once; return (role, user name, how to sign in, created) for printing.

    For the demo learner, "how to sign in" also names the learner code and PIN. A second run
    changes nothing.
    """
    User = get_user_model()
    result = []
    users = {}
    for role, username, password, display_name, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, "is_staff": is_staff}
        )
        if created:
            user.set_password(password)
            user.save()
            group, _ = Group.objects.get_or_create(name=role)
            user.groups.add(group)
        users[username] = user
        sign_in = password
        if username == DEMO_LEARNER:
            sign_in = f"{password}  (or learner code {code_format(code=DEMO_LEARNER_CODE)} + PIN {DEMO_LEARNER_PIN})"
        result.append((role, username, sign_in, created))
    _demo_learner_code_ensure(learner=users[DEMO_LEARNER], coach=users[DEMO_COACH])
    return result


def _demo_learner_code_ensure(*, learner, coach) -> None:
    if learner.created_by_id is None:
        learner.created_by = coach
        learner.save(update_fields=["created_by"])
    if not LearnerSignIn.objects.filter(user=learner).exists():
        sign_in = LearnerSignIn(user=learner, code=DEMO_LEARNER_CODE, kind=SignInKind.PIN)
        sign_in.secret_set(DEMO_LEARNER_PIN)
        sign_in.save()
