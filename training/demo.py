"""Demo staff training for the embedded default. Run after `load_demo` (content and demo users).

Lives here, not in `load_demo`, because nothing outside training may import training.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts import services as account_services
from accounts.demo import DEMO_LEARNER
from lessons.models import LessonPage, ModulePage

from . import services
from .models import Department, ItemKind, Programme, ProgrammeAssignment, ProgrammeItem, StaffMember, Team

DEMO_MANAGER = "manager"
DEMO_PROGRAMME = "Digitaal veilig op het werk"
# (department, team, managed by the demo manager?)
DEMO_TEAMS = [
    ("Groendienst", "Ploeg Vrijbroekpark", True),
    ("Groendienst", "Ploeg Tivolipark", True),
    ("Netheid", "Veegploeg centrum", True),
    ("Netheid", "Ploeg Nekkerspoel", False),
    ("Bibliotheek", "Onthaal Het Predikheren", False),
    ("Huis van de Mechelaar", "Loket", False),
]
# (employee number, name, department, team, days since start, e-mail, phone)
DEMO_STAFF = [
    ("MEC-1001", "Karim El Amrani", "Groendienst", "Ploeg Vrijbroekpark", 900, "", "0470 11 22 33"),
    ("MEC-1002", "Sofie Peeters", "Groendienst", "Ploeg Vrijbroekpark", 2000, "sofie.peeters@example.org", ""),
    ("MEC-1003", "Jan Van den Broeck", "Groendienst", "Ploeg Tivolipark", 20, "", ""),
    ("MEC-1004", "Aïcha Bouzid", "Netheid", "Veegploeg centrum", 1200, "", ""),
    ("MEC-1005", "Tom Janssens", "Netheid", "Veegploeg centrum", 400, "tom.janssens@example.org", ""),
    ("MEC-1006", "Nadia Haddou", "Netheid", "Ploeg Nekkerspoel", 700, "", ""),
    ("MEC-1007", "Lies Claes", "Bibliotheek", "Onthaal Het Predikheren", 3000, "lies.claes@example.org", ""),
    ("MEC-1008", "Omar Diallo", "Huis van de Mechelaar", "Loket", 150, "", "0486 55 44 33"),
]
DEMO_LEARNER_NUMBER = "MEC-1000"


def demo_training_ensure(*, today: date | None = None) -> bool | None:
    """Departments, teams, staff and one programme; True when made now, False when there, None without demo.

    A second run changes nothing. The demo learner (Fatima) works in the Groendienst; the demo manager
    manages three teams and sees only those.
    """
    today = today or timezone.localdate()
    User = get_user_model()
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    learner = User.objects.filter(username=DEMO_LEARNER).first()
    modules = list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))
    if manager is None or learner is None or len(modules) < 2:
        return None
    if Programme.objects.filter(title=DEMO_PROGRAMME).exists():
        return False
    with transaction.atomic():
        teams = {}
        for department_name, team_name, managed in DEMO_TEAMS:
            department, _made = Department.objects.get_or_create(name=department_name)
            team, _made = Team.objects.get_or_create(department=department, name=team_name)
            if managed:
                team.managers.add(manager)
            teams[(department_name, team_name)] = team
        manager.groups.add(Group.objects.get_or_create(name=roles.TRAINING_MANAGERS)[0])
        learners = Group.objects.get_or_create(name=roles.LEARNERS)[0]
        for number, name, department_name, team_name, days, email, phone in DEMO_STAFF:
            team = teams[(department_name, team_name)]
            if StaffMember.objects.filter(employee_number=number).exists():
                continue
            user = User(username=f"staff-{number.lower()}", display_name=name, email=email, preferred_language="nl")
            user.set_unusable_password()
            user.save()
            user.groups.add(learners)
            StaffMember.objects.create(
                user=user,
                employee_number=number,
                department=team.department,
                team=team,
                start_date=today - timedelta(days=days),
                email=email,
                phone=services._phone_normalise(phone) or "" if phone else "",
            )
        # A learner code each, as the import gives; the PIN comes with a printed card (training:team_card_sheets).
        account_services.learner_codes_ensure(
            user_ids=StaffMember.objects.filter(employee_number__in=[row[0] for row in DEMO_STAFF]).values_list(
                "user_id", flat=True
            )
        )
        team = teams[("Groendienst", "Ploeg Vrijbroekpark")]
        StaffMember.objects.get_or_create(
            user=learner,
            defaults={
                "employee_number": DEMO_LEARNER_NUMBER,
                "department": team.department,
                "team": team,
                "start_date": today - timedelta(days=365),
            },
        )
        programme = Programme.objects.create(
            title=DEMO_PROGRAMME,
            description="Veilig met je smartphone en met berichten die oplichters sturen.",
        )
        first_lesson = LessonPage.objects.live().child_of(modules[0]).order_by("path").first()
        ProgrammeItem.objects.create(
            programme=programme,
            sort_order=1,
            kind=ItemKind.LESSON,
            target_key=first_lesson.translation_key,
            page=first_lesson,
        )
        ProgrammeItem.objects.create(
            programme=programme,
            sort_order=2,
            kind=ItemKind.MODULE,
            target_key=modules[1].translation_key,
            page=modules[1],
        )
        for department_name, deadline_days in (
            ("Groendienst", 10),
            ("Netheid", -5),
            ("Bibliotheek", 40),
            ("Huis van de Mechelaar", 40),
        ):
            ProgrammeAssignment.objects.create(
                programme=programme,
                department=Department.objects.get(name=department_name),
                deadline=today + timedelta(days=deadline_days),
                recurrence_months=24,
                new_staff_days=60,
            )
        services.enrolments_sync(today=today)
    return True
