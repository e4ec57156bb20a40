"""A person with every kind of record the platform keeps, for the privacy tests (download and erasure)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import cards as account_cards
from accounts import roles, services
from accounts.models import CardSheetStatus, SignInKind, User
from coaching import cards as coaching_cards
from coaching.models import Assignment, AssignmentKind, CardSheet, CardSheetSecrets, CoachGroup
from lessons.activities import lesson_activity_id
from progress.models import LessonProgress, ModuleProgress, SimulatorAttempt, Statement
from progress.services import statements_ingest
from training import cards as training_cards
from training.models import (
    Certificate,
    Department,
    Enrolment,
    Programme,
    ReminderChannel,
    ReminderDelivery,
    ReminderStage,
    StaffCardSheet,
    StaffMember,
    Team,
)

VERB = "http://adlnet.gov/expapi/verbs/"


@dataclass
class Person:
    user: User
    first: str
    last: str
    employee_number: str
    phone: str
    email: str
    statement_ids: list[str]
    certificate: Certificate
    files: list = field(default_factory=list)  # every file that names the person

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    def words(self) -> list[str]:
        """What must never be found again once the person is erased."""
        return [self.full_name, self.last, self.employee_number, self.phone, self.email]


def make_coach(username: str, name: str) -> User:
    user = User.objects.create_user(username, password=f"{username}-wachtwoord", display_name=name)
    user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    return user


def _sheet_file(folder: str, sheet_id: int, names: list[str]) -> str:
    # A stand-in for the PDF with the names in plain text, so a search of the disk would find them.
    return account_cards.sheet_write(folder, sheet_id=sheet_id, pdf=("%PDF-1.4 " + " | ".join(names)).encode())


def person_with_everything(*, coach: User, lesson, first: str, last: str, number: str, team=None) -> Person:
    """A learner of `coach` (code and PIN, and a password) who is also city staff with a finished programme."""
    learner = services.learner_create(
        coach=coach, display_name=f"{first} {last}", language="nl", kind=SignInKind.PIN
    ).learner
    email = f"{first.lower()}.{last.lower()}@example.org"
    learner.first_name, learner.last_name, learner.email = first, last, email
    learner.set_password(f"{number}-wachtwoord")
    learner.display_preferences = {"text": "large"}
    learner.save()

    ids = [str(uuid.uuid4()) for _ in range(3)]
    now = timezone.now()
    if lesson is not None:
        statements_ingest(
            user=learner,
            statements=[
                {"id": statement_id, "verb": {"id": VERB + "experienced"}, "object": {"id": lesson_activity_id(lesson)}}
                for statement_id in ids
            ],
        )
        lesson_key, module_key = lesson.translation_key, lesson.get_parent().translation_key
    else:  # without the demo site (a transactional test on PostgreSQL): the rows as ingesting makes them
        lesson_key, module_key = uuid.uuid4(), uuid.uuid4()
        activity = f"https://oefenplein.example/xapi/lesson/{lesson_key}"
        Statement.objects.bulk_create(
            Statement(
                id=statement_id,
                user=learner,
                verb=VERB + "experienced",
                object_id=activity,
                activity_kind="lesson",
                lesson_key=lesson_key,
                module_key=module_key,
                timestamp=now,
                data={"id": statement_id, "verb": {"id": VERB + "experienced"}, "object": {"id": activity}},
            )
            for statement_id in ids
        )
        LessonProgress.objects.create(
            user=learner, lesson_key=lesson_key, module_key=module_key, started_at=now, last_activity_at=now
        )
    ModuleProgress.objects.get_or_create(
        user=learner,
        module_key=module_key,
        defaults={"lessons_total": 3, "lessons_completed": 1, "started_at": now, "last_activity_at": now},
    )
    SimulatorAttempt.objects.create(
        user=learner,
        registration=uuid.uuid4(),
        scenario_key=uuid.uuid4(),
        mode="practice",
        started_at=now,
        last_activity_at=now,
        completed_at=now,
        passed=True,
        score=90,
        actions=12,
    )

    group = CoachGroup.objects.filter(coaches=coach).first()
    if group is None:
        group = CoachGroup.objects.create(name="Digibank Nekkerspoel, dinsdag")
        group.coaches.add(coach)
    group.learners.add(learner)
    if not group.assignments.filter(learners__isnull=True).exists():
        Assignment.objects.create(group=group, kind=AssignmentKind.LESSON, target_key=lesson_key, created_by=coach)
    own = Assignment.objects.create(
        group=group,
        kind=AssignmentKind.LESSON,
        target_key=lesson_key,
        note=f"Voor {first}",
        created_by=coach,
    )
    own.learners.add(learner)

    if team is None:
        department = Department.objects.get_or_create(name="Groendienst")[0]
        team = Team.objects.get_or_create(department=department, name="Ploeg Vrijbroekpark")[0]
    phone = "+3247" + number[-7:].rjust(7, "0")
    staff = StaffMember.objects.create(
        user=learner,
        employee_number=number,
        department=team.department,
        team=team,
        start_date=date(2024, 1, 1),
        email=email,
        phone=phone,
    )
    programme = Programme.objects.get_or_create(title="Digitaal veilig op het werk")[0]
    enrolment = Enrolment.objects.create(
        staff=staff,
        programme=programme,
        opened_on=date(2026, 1, 1),
        due=date(2026, 6, 1),
        completed_at=now - timedelta(days=3),
    )
    ReminderDelivery.objects.create(
        enrolment=enrolment,
        stage=ReminderStage.DAYS_14,
        channel=ReminderChannel.SMS,
        claim=uuid.uuid4(),
        claimed_at=now - timedelta(days=20),
        sent_at=now - timedelta(days=20),
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        staff=staff,
        programme=programme,
        holder_name=f"{first} {last}",
        programme_title=programme.title,
        completed_on=timezone.localdate(),
    )
    certificate.pdf.save(
        f"{certificate.uuid.hex}.pdf", ContentFile(f"%PDF-1.4 Certificate of {first} {last}".encode()), save=True
    )

    sheet = CardSheet.objects.create(
        group=group, coach=coach, secrets=CardSheetSecrets.NEW, status=CardSheetStatus.READY, finished_at=now
    )
    sheet.learners.add(learner)
    sheet.file_name = _sheet_file(coaching_cards.FOLDER, sheet.pk, [f"{first} {last}"])
    sheet.save()
    staff_sheet = StaffCardSheet.objects.create(team=team, manager=coach, status=CardSheetStatus.READY, finished_at=now)
    staff_sheet.staff.add(staff)
    staff_sheet.file_name = _sheet_file(training_cards.FOLDER, staff_sheet.pk, [f"{first} {last}", number])
    staff_sheet.save()

    return Person(
        user=learner,
        first=first,
        last=last,
        employee_number=number,
        phone=phone,
        email=email,
        statement_ids=ids,
        certificate=certificate,
        files=[
            certificate.pdf.path,
            account_cards.sheet_path(coaching_cards.FOLDER, sheet.file_name),
            account_cards.sheet_path(training_cards.FOLDER, staff_sheet.file_name),
        ],
    )
