"""Reads for training: a manager's teams and their compliance, a staff member's own programmes, certificates.

Every manager read starts from `manager_teams`, so another manager's team (or its staff, or their
certificates) is simply not there. Progress is read only through `progress.selectors`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from progress.assignments import AssignedItem
from progress.models import LessonStatus
from progress.selectors import NOT_STARTED_CELL, ProgressCell, group_progress

from .deadlines import reminder_stage
from .models import (
    Certificate,
    Department,
    Enrolment,
    ItemKind,
    ProgrammeAssignment,
    ProgrammeItem,
    ReminderChannel,
    ReminderDelivery,
    StaffCardSheet,
    StaffMember,
    Team,
)
from .moments import moments_attended

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
OVERDUE = "overdue"
STATUS_ICONS = {COMPLETED: "✓", IN_PROGRESS: "◐", NOT_STARTED: "○", OVERDUE: "!"}
TOKEN_SALT = "training.certificate.verify"


def status_label(status: str) -> str:
    return {
        COMPLETED: _("Finished"),
        IN_PROGRESS: _("Busy"),
        NOT_STARTED: _("Not started"),
        OVERDUE: _("Too late"),
    }[status]


def user_is_training_manager(*, user) -> bool:
    return roles.user_has_role(user, roles.TRAINING_MANAGERS)


def manager_teams(*, manager) -> QuerySet:
    return Team.objects.filter(managers=manager).select_related("department").order_by("department__name", "name")


def manager_departments(*, manager) -> QuerySet:
    return Department.objects.filter(teams__managers=manager).distinct().order_by("name")


def manager_staff(*, manager) -> QuerySet:
    return StaffMember.objects.filter(team__managers=manager).select_related("user", "team", "department")


# --- Progress of programmes -------------------------------------------------------------------------


def programme_items(*, programme_ids) -> dict[int, list[ProgrammeItem]]:
    items: dict[int, list[ProgrammeItem]] = {}
    for item in ProgrammeItem.objects.filter(programme_id__in=list(programme_ids)).order_by("sort_order", "pk"):
        items.setdefault(item.programme_id, []).append(item)
    return items


def programme_cells(*, user_ids, items: list[ProgrammeItem]) -> dict:
    """{(user id, key): ProgressCell} for the items of one or more programmes: the queries of group_progress.

    A training-moment item is finished once the person was ticked present at a moment of its programme
    (training.moments); its date counts like the date of the last activity, so a refresher cycle needs a
    new moment.
    """
    cells = group_progress(
        user_ids=user_ids,
        lesson_keys={item.target_key for item in items if item.kind == ItemKind.LESSON},
        module_keys={item.target_key for item in items if item.kind == ItemKind.MODULE},
        # A simulator is done once an attempt passed (progress reads SimulatorAttempt).
        simulator_keys={item.target_key for item in items if item.kind == ItemKind.SIMULATOR},
    )
    moments = [item for item in items if item.kind == ItemKind.SESSION]
    if moments:
        user_ids = list(user_ids)
        attended = moments_attended(user_ids=user_ids, programme_ids={item.programme_id for item in moments})
        for item in moments:
            for user_id in user_ids:
                when = attended.get((user_id, item.programme_id))
                if when is not None:
                    cells[(user_id, item.target_key)] = ProgressCell(
                        status=LessonStatus.COMPLETED, checked=True, last_activity_at=when
                    )
    return cells


def item_done(cell, *, opened_on: date, cycle: int, player_results_count: bool = False) -> bool:
    """Finished, on evidence the server checked unless the programme lets H5P results count.

    A later cycle (a refresher) counts only work done since it opened.
    """
    if cell.status != LessonStatus.COMPLETED:
        return False
    if not (player_results_count or cell.checked):
        return False
    if cycle > 1:
        last = cell.last_activity_at
        return bool(last and timezone.localdate(last) >= opened_on)
    return True


def enrolment_status(*, enrolment: Enrolment, items: list, cells: dict, today: date) -> str:
    if enrolment.completed_at:
        return COMPLETED
    if enrolment.due < today:
        return OVERDUE
    started = any(
        cells.get((enrolment.staff.user_id, item.target_key), NOT_STARTED_CELL).last_activity_at for item in items
    )
    return IN_PROGRESS if started else NOT_STARTED


# --- Compliance --------------------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    staff: StaffMember
    enrolment: Enrolment
    status: str
    items_done: int
    items_total: int

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]


@dataclass
class Counts:
    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.not_started + self.overdue


@dataclass
class TeamCompliance:
    team: Team
    counts: Counts
    rows: list[ComplianceRow] = field(default_factory=list)


def current_enrolments(*, staff_ids) -> QuerySet:
    """The latest cycle of every programme still required from each person's own department."""
    required = ProgrammeAssignment.objects.filter(
        department_id=OuterRef("staff__department_id"), programme_id=OuterRef("programme_id")
    )
    latest = Enrolment.objects.filter(
        staff_id=OuterRef("staff_id"),
        programme_id=OuterRef("programme_id"),
        cycle__gt=OuterRef("cycle"),
    )
    return (
        Enrolment.objects.filter(staff_id__in=staff_ids)
        .filter(Exists(required))
        .exclude(Exists(latest))
        .select_related("staff__user", "staff__team__department", "programme")
        .order_by("programme__title", "staff__user__display_name", "pk")
    )


def compliance_rows(*, staff_ids, today: date | None = None) -> list[ComplianceRow]:
    today = today or timezone.localdate()
    enrolments = list(current_enrolments(staff_ids=list(staff_ids)))
    items = programme_items(programme_ids={e.programme_id for e in enrolments})
    all_items = [item for group in items.values() for item in group]
    cells = programme_cells(user_ids={e.staff.user_id for e in enrolments}, items=all_items)
    rows = []
    for enrolment in enrolments:
        own = items.get(enrolment.programme_id, [])
        done = sum(
            1
            for item in own
            if item_done(
                cells.get((enrolment.staff.user_id, item.target_key), NOT_STARTED_CELL),
                opened_on=enrolment.opened_on,
                cycle=enrolment.cycle,
                player_results_count=enrolment.programme.player_results_count,
            )
        )
        status = enrolment_status(enrolment=enrolment, items=own, cells=cells, today=today)
        rows.append(
            ComplianceRow(
                staff=enrolment.staff,
                enrolment=enrolment,
                status=status,
                items_done=len(own) if status == COMPLETED else done,
                items_total=len(own),
            )
        )
    return rows


def team_compliance(*, team: Team, today: date | None = None) -> TeamCompliance:
    rows = compliance_rows(staff_ids=team.staff.filter(active=True).values_list("pk", flat=True), today=today)
    counts = Counts()
    for row in rows:
        counts.add(row.status)
    return TeamCompliance(team=team, counts=counts, rows=rows)


def department_compliance(*, manager, department: Department, today: date | None = None) -> list[TeamCompliance]:
    """Per team of this department that the manager manages (never the other teams)."""
    teams = list(manager_teams(manager=manager).filter(department=department))
    staff = StaffMember.objects.filter(team__in=teams, active=True).values_list("pk", flat=True)
    rows = compliance_rows(staff_ids=staff, today=today)
    result = {team.pk: TeamCompliance(team=team, counts=Counts()) for team in teams}
    for row in rows:
        entry = result[row.staff.team_id]
        entry.counts.add(row.status)
        entry.rows.append(row)
    return list(result.values())


def export_header() -> list[str]:
    return [
        _("Department"),
        _("Team"),
        _("Employee number"),
        _("Name"),
        _("Programme"),
        _("Round"),
        _("Status"),
        _("Parts finished"),
        _("Parts in all"),
        _("Finish by"),
        _("Finished on"),
    ]


def export_rows(*, rows: list[ComplianceRow]) -> Iterator[list]:
    for row in rows:
        enrolment = row.enrolment
        finished = timezone.localdate(enrolment.completed_at).isoformat() if enrolment.completed_at else ""
        yield [
            row.staff.team.department.name,
            row.staff.team.name,
            row.staff.employee_number,
            str(row.staff.user),
            enrolment.programme.title,
            enrolment.cycle,
            row.label,
            row.items_done,
            row.items_total,
            enrolment.due.isoformat(),
            finished,
        ]


# --- Reminders on paper and on the site ----------------------------------------------------------------


@dataclass(frozen=True)
class PaperReminder:
    staff: StaffMember
    enrolment: Enrolment
    stage: str
    days_left: int


def paper_reminders(*, manager, today: date | None = None) -> list[PaperReminder]:
    """Staff without an e-mail address in the manager's teams with a programme due soon or overdue."""
    today = today or timezone.localdate()
    staff = manager_staff(manager=manager).filter(active=True, email="").values_list("pk", flat=True)
    found = []
    for row in compliance_rows(staff_ids=staff, today=today):
        if row.status == COMPLETED:
            continue
        stage = reminder_stage(due=row.enrolment.due, today=today)
        if stage:
            found.append(
                PaperReminder(
                    staff=row.staff, enrolment=row.enrolment, stage=stage, days_left=(row.enrolment.due - today).days
                )
            )
    found.sort(key=lambda r: (r.staff.team.name, str(r.staff.user), r.enrolment.due))
    return found


def site_reminders_unseen(*, user) -> QuerySet:
    return ReminderDelivery.objects.filter(
        enrolment__staff__user=user,
        channel=ReminderChannel.SITE,
        seen_at__isnull=True,
        enrolment__completed_at__isnull=True,
    ).select_related("enrolment__programme")


# --- A staff member's own programmes -------------------------------------------------------------------


def staff_member_for(*, user) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(user=user, active=True).select_related("team__department").first()


def own_enrolments(*, user, today: date | None = None) -> list[ComplianceRow]:
    staff = staff_member_for(user=user)
    if staff is None:
        return []
    return compliance_rows(staff_ids=[staff.pk], today=today)


def own_certificates(*, user) -> QuerySet:
    return Certificate.objects.filter(staff__user=user).exclude(pdf="").order_by("-completed_on", "pk")


def manager_certificates(*, manager) -> QuerySet:
    return (
        Certificate.objects.filter(staff__team__managers=manager)
        .exclude(pdf="")
        .select_related("staff__team", "staff__user")
        .order_by("-completed_on", "pk")
    )


def certificate_downloadable(*, user, certificate_uuid) -> Certificate | None:
    """The person's own certificate, or one of a team they manage; otherwise nothing (a 404)."""
    if not user.is_authenticated:
        return None
    scope = Q(staff__user=user)
    if user_is_training_manager(user=user):
        scope |= Q(staff__team__managers=user)
    return Certificate.objects.filter(scope, uuid=certificate_uuid).exclude(pdf="").distinct().first()


def assigned_items_for(*, user) -> list[AssignedItem]:
    """The provider "My learning" calls: the open items of the person's required programmes.

    Simulator items are scenario translation keys; progress links them through `progress.links`.
    """
    staff = staff_member_for(user=user)
    if staff is None:
        return []
    enrolments = [row.enrolment for row in compliance_rows(staff_ids=[staff.pk]) if row.status != COMPLETED]
    items = programme_items(programme_ids={e.programme_id for e in enrolments})
    result = []
    for enrolment in enrolments:
        note = _("Required training: %(programme)s") % {"programme": enrolment.programme.title}
        for item in items.get(enrolment.programme_id, []):
            result.append(AssignedItem(translation_key=item.target_key, due=enrolment.due, note=note, required=True))
    return result


# --- Public verification ---------------------------------------------------------------------------------


def certificate_token(*, certificate: Certificate) -> str:
    """Signed (HMAC with SECRET_KEY, salted): a token cannot be made without the key, nor guessed."""
    return signing.Signer(salt=TOKEN_SALT).sign(certificate.uuid.hex)


def certificate_for_token(*, token: str) -> Certificate | None:
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if len(value) != 32:
        return None
    return Certificate.objects.filter(uuid=value).first()


# --- Sign-in card sheets -----------------------------------------------------------------------------------


def card_sheet_staff(*, team: Team) -> QuerySet:
    """The people of a team who can get a printed sign-in card: everyone who still works there."""
    return (
        StaffMember.objects.filter(team=team, active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def card_sheets(*, manager, team: Team) -> QuerySet:
    """The manager's own sheets for this team: another manager's sheets (and PINs) are never listed."""
    return StaffCardSheet.objects.filter(manager=manager, team=team)
