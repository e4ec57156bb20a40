"""Writes for training: the staff import, enrolments and their deadlines, reminders, completions, certificates.

Reminders and certificates run in Celery tasks (training/tasks.py) that call the functions here with ids.
Each function is safe to run twice, or at the same time as itself: reminders through the claim rows of
`ReminderDelivery`, enrolments and certificates through unique constraints.
"""

import csv
import io
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import card_sheets, roles
from accounts import cards as account_cards
from accounts import services as account_services
from accounts.models import User
from learn.digits import digits_normalise
from learn.page_cache import learning_generation_bump
from learn.queueing import send_now

from . import cards, selectors
from .certificates import certificate_pdf
from .deadlines import STAGE_DAYS, first_due, next_cycle, reminder_stage
from .models import (
    Certificate,
    Enrolment,
    ProgrammeAssignment,
    ReminderChannel,
    ReminderDelivery,
    ReminderStage,
    StaffCardSheet,
    StaffMember,
    Team,
)
from .sms import SmsMessage, sms_backend

logger = logging.getLogger(__name__)

# The tasks of training.tasks these services send, by name: the tasks module imports this one, not the reverse.
CERTIFICATE_TASK = "training.certificate_make"
RENDER_TASK = "training.card_sheet_render"

# --- Staff import ---------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
# Column names as people write them, in English or Dutch; compared without case, spaces or dashes.
COLUMN_ALIASES = {
    "employee_number": {"employeenumber", "employee", "number", "personeelsnummer", "personeelsnr", "nummer"},
    "name": {"name", "naam", "fullname", "volledigenaam"},
    "department": {"department", "dienst", "afdeling"},
    "team": {"team", "ploeg"},
    "start_date": {"startdate", "start", "startdatum", "indienst", "datumindienst"},
    "email": {"email", "mail", "emailaddress", "emailadres"},
    "phone": {"phone", "mobile", "gsm", "telefoon", "mobiel", "gsmnummer"},
    "language": {"language", "taal"},
}
REQUIRED_COLUMNS = ("employee_number", "name", "department", "team", "start_date")
EMPLOYEE_NUMBER = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class ImportFileError(Exception):
    """The whole file is unusable; nothing was changed. The message is for the manager."""


@dataclass
class ImportRejection:
    line: int
    employee_number: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0  # marked left: missing from a complete list (see `staff_import`)
    rejected: list[ImportRejection] = field(default_factory=list)


def _column_key(text: str) -> str:
    return re.sub(r"[\s_\-.]", "", text or "").casefold()


def _text_read(*, name: str, data: bytes) -> str:
    if not name.lower().endswith(".csv"):
        raise ImportFileError(_("Choose a CSV file (a name that ends in .csv)."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is too big. A CSV file of staff can be at most 2 MB."))
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This is an Excel file. In Excel, choose “Save as” and then “CSV”."))
    if b"\x00" in data:
        raise ImportFileError(_("This file is not a CSV file. Save the list as CSV and try again."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("We cannot read the letters in this file. Save it as CSV UTF-8 and try again."))


def _phone_normalise(text: str) -> str | None:
    """A Belgian mobile number as +324XXXXXXXX, or None when it is not one (Arabic-Indic digits count)."""
    digits = re.sub(r"[\s./()-]", "", digits_normalise(text))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("04") and len(digits) == 10 and digits.isdigit():
        digits = "+32" + digits[1:]
    if re.fullmatch(r"\+324\d{8}", digits):
        return digits
    return None


def _date_parse(text: str) -> date | None:
    text = digits_normalise(text)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def staff_import(*, manager, name: str, data: bytes, today: date | None = None, complete: bool = False) -> ImportReport:
    """Import staff from a CSV file: new people are added, known ones (same employee number) updated.

    Each row is checked on its own; a wrong row is reported with its reasons and skipped, the others are
    saved together. A file that cannot be read as a whole raises ImportFileError and changes nothing.
    A manager can only place people in teams they manage. With `complete` the file lists everyone in the
    manager's teams: people of those teams who are not in it (not even on a rejected line) are marked left,
    and their staff record is removed PRIVACY_STAFF_LEFT_DAYS later (`training.retention`).
    """
    text = _text_read(name=name, data=data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ImportFileError(_("The file is empty."))
    columns = {}
    for index, title in enumerate(header):
        key = _column_key(title)
        for column, aliases in COLUMN_ALIASES.items():
            if key in aliases and column not in columns:
                columns[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _("The first line must name the columns. Missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    teams = {
        (team.department.name.casefold(), team.name.casefold()): team
        for team in Team.objects.select_related("department")
    }
    managed = set(Team.objects.filter(managers=manager).values_list("pk", flat=True))
    languages = {code for code, _name in settings.LANGUAGES}

    report = ImportReport()
    valid: dict[str, dict] = {}
    seen: set[str] = set()  # every employee number in the file, also on rejected lines
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if line - 1 > MAX_IMPORT_ROWS:
            raise ImportFileError(_("The file has too many lines. Split it into files of at most 20,000 people."))

        def cell(column, row=row):
            index = columns.get(column)
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        number, reasons = cell("employee_number"), []
        seen.add(number.casefold())
        values = {"name": cell("name"), "email": cell("email").lower(), "language": cell("language").lower()}
        if not number:
            reasons.append(_("The employee number is missing."))
        elif not EMPLOYEE_NUMBER.match(number):
            reasons.append(_("The employee number may only have letters, numbers, dots and dashes."))
        elif number.casefold() in valid:
            reasons.append(
                _("This employee number is already on line %(line)s.") % {"line": valid[number.casefold()]["line"]}
            )
        if not values["name"]:
            reasons.append(_("The name is missing."))
        elif len(values["name"]) > 80:
            reasons.append(_("The name is longer than 80 characters."))
        department, team_name = cell("department"), cell("team")
        team = teams.get((department.casefold(), team_name.casefold()))
        if not department or not team_name:
            reasons.append(_("The department or the team is missing."))
        elif team is None:
            reasons.append(
                _("We do not know team “%(team)s” in department “%(department)s”.")
                % {"team": team_name, "department": department}
            )
        elif team.pk not in managed:
            reasons.append(_("You do not manage team “%(team)s”.") % {"team": team_name})
        start = _date_parse(cell("start_date"))
        if start is None:
            reasons.append(_("The start date is missing or not a date. Write it as 2026-03-01 or 01/03/2026."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                reasons.append(_("The e-mail address is not valid."))
        phone = ""
        if cell("phone"):
            phone = _phone_normalise(cell("phone"))
            if phone is None:
                reasons.append(_("The mobile number is not valid. Write it as 0470 12 34 56."))
        if values["language"] and values["language"] not in languages:
            reasons.append(_("We do not know this language. Use nl, fr, en or ar."))
        if reasons:
            report.rejected.append(ImportRejection(line=line, employee_number=number, reasons=reasons))
            continue
        valid[number.casefold()] = {
            **values,
            "line": line,
            "employee_number": number,
            "team": team,
            "start_date": start,
            "phone": phone,
        }

    existing = {
        staff.employee_number.casefold(): staff
        for staff in StaffMember.objects.select_related("user").filter(
            employee_number__in=[row["employee_number"] for row in valid.values()]
        )
    }
    # Case-insensitive match on the numbers that differ only in case (rare): look them up one by one.
    for key in set(valid) - set(existing):
        found = StaffMember.objects.select_related("user").filter(employee_number__iexact=key).first()
        if found:
            existing[key] = found
    learners, _made = Group.objects.get_or_create(name=roles.LEARNERS)
    touched, people = [], []
    with transaction.atomic():
        for key, row in valid.items():
            staff = existing.get(key)
            if staff is not None and staff.team_id not in managed:
                report.rejected.append(
                    ImportRejection(
                        line=row["line"],
                        employee_number=row["employee_number"],
                        reasons=[_("This person works in a team you do not manage.")],
                    )
                )
                continue
            if staff is None:
                user = User(
                    username=f"staff-{row['employee_number'].lower()}",
                    display_name=row["name"],
                    email=row["email"],
                    preferred_language=row["language"] or settings.LANGUAGE_CODE,
                    created_by=manager,
                )
                user.set_unusable_password()
                user.save()
                user.groups.add(learners)
                staff = StaffMember.objects.create(
                    user=user,
                    employee_number=row["employee_number"],
                    department=row["team"].department,
                    team=row["team"],
                    start_date=row["start_date"],
                    email=row["email"],
                    phone=row["phone"],
                )
                report.created += 1
                touched.append(staff.pk)
                people.append(user.pk)
                continue
            people.append(staff.user_id)
            changed = _staff_update(staff, row)
            if changed:
                report.updated += 1
                touched.append(staff.pk)
            else:
                report.unchanged += 1
        if complete:
            report.left = _staff_absent_mark_left(managed=managed, seen=seen)
        if touched:
            enrolments_sync(today=today or timezone.localdate(), staff_ids=touched)
        # Their way in without e-mail: a learner code now (fast); the PIN comes with a printed card.
        account_services.learner_codes_ensure(user_ids=people)
    report.rejected.sort(key=lambda rejection: rejection.line)
    return report


def _staff_absent_mark_left(*, managed: set[int], seen: set[str]) -> int:
    """People of the manager's teams missing from a complete list have left (from now)."""
    absent = [
        staff.pk
        for staff in StaffMember.objects.filter(team_id__in=managed, active=True).only("pk", "employee_number")
        if staff.employee_number.casefold() not in seen
    ]
    left = StaffMember.objects.filter(pk__in=absent).update(active=False, left_at=timezone.now())
    learning_generation_bump()  # an update sends no signal (progress/cache_signals.py)
    return left


def _staff_update(staff: StaffMember, row: dict) -> bool:
    new = {
        "department_id": row["team"].department_id,
        "team_id": row["team"].pk,
        "start_date": row["start_date"],
        "email": row["email"],
        "phone": row["phone"],
        "active": True,
        "left_at": None,  # back on the list: works here again
    }
    changed = [name for name, value in new.items() if getattr(staff, name) != value]
    for name in changed:
        setattr(staff, name, new[name])
    if changed:
        staff.save(update_fields=[*changed, "updated_at"])
    user = staff.user
    user_new = {"display_name": row["name"], "email": row["email"]}
    if row["language"]:
        user_new["preferred_language"] = row["language"]
    user_changed = [name for name, value in user_new.items() if getattr(user, name) != value]
    for name in user_changed:
        setattr(user, name, user_new[name])
    if user_changed:
        user.save(update_fields=user_changed)
    return bool(changed or user_changed)


# --- Enrolments -------------------------------------------------------------------------------------------


def enrolments_sync(*, today: date, staff_ids=None) -> int:
    """Give every active staff member the programmes their department requires, with their due date.

    New staff get the deadline or `new_staff_days` after their start date, whichever is later. After a
    finished cycle of a recurring programme, the next cycle opens 90 days before it is due. Concurrent
    runs are harmless: the unique (staff, programme, cycle) makes a second insert a no-op.
    """
    made = 0
    for assignment in ProgrammeAssignment.objects.all():
        staff = StaffMember.objects.filter(department_id=assignment.department_id, active=True)
        if staff_ids is not None:
            staff = staff.filter(pk__in=list(staff_ids))
        people = dict(staff.values_list("pk", "start_date"))
        if not people:
            continue
        latest = {}
        rows = Enrolment.objects.filter(programme_id=assignment.programme_id, staff_id__in=list(people)).values_list(
            "staff_id", "cycle", "completed_at"
        )
        for staff_id, cycle, completed_at in rows:
            if staff_id not in latest or cycle > latest[staff_id][0]:
                latest[staff_id] = (cycle, completed_at)
        new = []
        for staff_id, start_date in people.items():
            if staff_id not in latest:
                due = first_due(
                    deadline=assignment.deadline, new_staff_days=assignment.new_staff_days, start_date=start_date
                )
                new.append(
                    Enrolment(
                        staff_id=staff_id, programme_id=assignment.programme_id, cycle=1, opened_on=today, due=due
                    )
                )
                continue
            cycle, completed_at = latest[staff_id]
            if completed_at and assignment.recurrence_months:
                opens, due = next_cycle(
                    completed_on=timezone.localdate(completed_at), recurrence_months=assignment.recurrence_months
                )
                if today >= opens:
                    new.append(
                        Enrolment(
                            staff_id=staff_id,
                            programme_id=assignment.programme_id,
                            cycle=cycle + 1,
                            opened_on=opens,
                            due=due,
                        )
                    )
        Enrolment.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        if new:
            learning_generation_bump()  # a bulk create sends no signal (progress/cache_signals.py)
        made += len(new)
    return made


def completions_update(*, now: datetime | None = None, staff_ids=None, chunk: int = 2000) -> list[int]:
    """Mark open enrolments whose every item is finished as completed and ask for their certificates.

    Returns the ids completed now. The certificate tasks are enqueued after the commit.
    """
    now = now or timezone.now()
    open_rows = Enrolment.objects.filter(completed_at__isnull=True, staff__active=True)
    if staff_ids is not None:
        open_rows = open_rows.filter(staff_id__in=list(staff_ids))
    enrolments = list(open_rows.select_related("staff", "programme").order_by("pk"))
    if not enrolments:
        return []
    items = selectors.programme_items(programme_ids={e.programme_id for e in enrolments})
    completed = []
    for start in range(0, len(enrolments), chunk):
        part = [e for e in enrolments[start : start + chunk] if items.get(e.programme_id)]
        all_items = [item for e in {e.programme_id for e in part} for item in items[e]]
        cells = selectors.programme_cells(user_ids={e.staff.user_id for e in part}, items=all_items)
        for enrolment in part:
            if all(
                selectors.item_done(
                    cells.get((enrolment.staff.user_id, item.target_key), selectors.NOT_STARTED_CELL),
                    opened_on=enrolment.opened_on,
                    cycle=enrolment.cycle,
                    player_results_count=enrolment.programme.player_results_count,
                )
                for item in items[enrolment.programme_id]
            ):
                completed.append(enrolment.pk)
    if not completed:
        return []
    with transaction.atomic():
        # Only rows still open are changed, so two checks at once do not both report the same rows.
        newly = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=completed, completed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Enrolment.objects.filter(pk__in=newly).update(completed_at=now)
        transaction.on_commit(lambda: _certificates_enqueue(newly))
        transaction.on_commit(learning_generation_bump)  # an update sends no signal
    return newly


def _certificates_enqueue(enrolment_ids: list[int]) -> None:
    # Broker away: the hourly training.completions_check makes the missing certificates.
    for enrolment_id in enrolment_ids:
        send_now(CERTIFICATE_TASK, enrolment_id)


# --- Reminders --------------------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    claimed: int = 0
    email: int = 0
    sms: int = 0
    site: int = 0
    failed: int = 0


def _channel(*, email: str, phone: str) -> str:
    if email:
        return ReminderChannel.EMAIL
    if phone:
        return ReminderChannel.SMS
    return ReminderChannel.SITE


def reminder_text(*, stage: str, programme: str, due: date, name: str, today: date) -> tuple[str, str]:
    """(subject, body) in the active language, in plain words."""
    day = due.strftime("%d/%m/%Y")
    if stage == ReminderStage.OVERDUE:
        subject = _("Your training is late: %(programme)s") % {"programme": programme}
        lead = _("The date to finish “%(programme)s” was %(date)s. Please finish it as soon as you can.") % {
            "programme": programme,
            "date": day,
        }
    else:
        days = max((due - today).days, 0)
        subject = _("Reminder: finish %(programme)s by %(date)s") % {"programme": programme, "date": day}
        lead = ngettext(
            "You have %(days)s day left to finish “%(programme)s” (by %(date)s).",
            "You have %(days)s days left to finish “%(programme)s” (by %(date)s).",
            days,
        ) % {"days": days, "programme": programme, "date": day}
    body = "\n\n".join(
        [
            _("Hello %(name)s,") % {"name": name},
            lead,
            _("Sign in on Oefenplein and open “My learning”. Ask your manager if you need help or time."),
            f"{settings.SITE_ORIGIN}/",
        ]
    )
    return subject, body


def reminders_run(*, today: date | None = None, chunk: int = 500) -> ReminderRun:
    """Send the reminders due today, each at most once per person, programme cycle and stage.

    Claim, commit, then send: see ReminderDelivery. Run twice at the same time, each run sends only what
    it claimed itself. Staff without e-mail or phone get a site reminder: shown on their next sign-in
    and on their manager's printed list.
    """
    today = today or timezone.localdate()
    run = uuid.uuid4()
    result = ReminderRun()
    horizon = today + timedelta(days=max(days for _stage, days in STAGE_DAYS))
    # Only programmes the person's current department still requires (someone who moved keeps the record).
    # The few (department, programme) pairs are matched here: a correlated EXISTS took PostgreSQL 36 s
    # for 10,000 enrolments.
    required = set(ProgrammeAssignment.objects.values_list("department_id", "programme_id"))
    candidates = [
        (pk, due)
        for pk, due, department_id, programme_id in Enrolment.objects.filter(
            completed_at__isnull=True, staff__active=True, due__lte=horizon
        )
        .order_by("pk")
        .values_list("pk", "due", "staff__department_id", "programme_id")
        if (department_id, programme_id) in required
    ]
    for start in range(0, len(candidates), chunk):
        part = candidates[start : start + chunk]
        stages = {pk: reminder_stage(due=due, today=today) for pk, due in part}
        stages = {pk: stage for pk, stage in stages.items() if stage}
        if not stages:
            continue
        taken = set(
            ReminderDelivery.objects.filter(enrolment_id__in=list(stages))
            .values_list("enrolment_id", "stage")
            .order_by()
        )
        wanted = {pk: stage for pk, stage in stages.items() if (pk, stage) not in taken}
        if not wanted:
            continue
        people = {
            row["pk"]: row
            for row in Enrolment.objects.filter(pk__in=list(wanted)).values(
                "pk",
                "due",
                "programme__title",
                "staff__email",
                "staff__phone",
                "staff__user__display_name",
                "staff__user__username",
                "staff__user__preferred_language",
            )
        }
        now = timezone.now()
        claims = [
            ReminderDelivery(
                enrolment_id=pk,
                stage=stage,
                channel=_channel(email=people[pk]["staff__email"], phone=people[pk]["staff__phone"]),
                claim=run,
                claimed_at=now,
            )
            for pk, stage in wanted.items()
        ]
        # The claim: committed before anything is sent. A row someone else claimed first stays theirs.
        with transaction.atomic():
            ReminderDelivery.objects.bulk_create(claims, ignore_conflicts=True)
        ours = list(
            ReminderDelivery.objects.filter(claim=run, enrolment_id__in=list(wanted)).values_list(
                "pk", "enrolment_id", "stage", "channel"
            )
        )
        result.claimed += len(ours)
        _deliver(ours=ours, people=people, result=result, today=today)
    return result


def _deliver(*, ours: list, people: dict, result: ReminderRun, today: date) -> None:
    emails, texts, sent = [], [], []
    site = [pk for pk, _enrolment, _stage, channel in ours if channel == ReminderChannel.SITE]
    for pk, enrolment_id, stage, channel in ours:
        if channel == ReminderChannel.SITE:
            continue
        person = people[enrolment_id]
        name = person["staff__user__display_name"] or person["staff__user__username"]
        language = person["staff__user__preferred_language"] or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = reminder_text(
                stage=stage, programme=person["programme__title"], due=person["due"], name=name, today=today
            )
        if channel == ReminderChannel.EMAIL:
            emails.append((pk, EmailMessage(subject=subject, body=body, to=[person["staff__email"]])))
        else:
            texts.append((pk, SmsMessage(to=person["staff__phone"], body=f"{subject}. {settings.SITE_ORIGIN}/")))
    if emails:
        try:
            connection = get_connection()
            connection.send_messages([message for _pk, message in emails])
        except Exception:  # a mail server down: those claims stay unsent, never resent (at most once)
            logger.exception("Training reminders: %s e-mails were not sent", len(emails))
            result.failed += len(emails)
        else:
            sent += [pk for pk, _message in emails]
            result.email += len(emails)
    if texts:
        try:
            sms_backend().send_messages([message for _pk, message in texts])
        except Exception:
            logger.exception("Training reminders: %s SMS were not sent", len(texts))
            result.failed += len(texts)
        else:
            sent += [pk for pk, _message in texts]
            result.sms += len(texts)
    sent += site
    result.site += len(site)
    if sent:
        ReminderDelivery.objects.filter(pk__in=sent).update(sent_at=timezone.now())


def site_reminders_take(*, user) -> list[str]:
    """The site reminders this person has not seen yet, as sentences; they count as seen from now."""
    rows = list(selectors.site_reminders_unseen(user=user))
    if not rows:
        return []
    sentences = []
    for row in rows:
        enrolment = row.enrolment
        values = {"programme": enrolment.programme.title, "date": enrolment.due.strftime("%d/%m/%Y")}
        if row.stage == ReminderStage.OVERDUE:
            sentences.append(_("Your training “%(programme)s” is late: it had to be finished by %(date)s.") % values)
        else:
            sentences.append(_("Finish your training “%(programme)s” by %(date)s.") % values)
    ReminderDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(seen_at=timezone.now())
    return sentences


# --- Certificates -----------------------------------------------------------------------------------------


def certificate_make(*, enrolment_id: int) -> Certificate | None:
    """The certificate of a completed enrolment, with its PDF; made once, whatever the number of calls."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("staff__user", "programme")
            .filter(pk=enrolment_id, completed_at__isnull=False)
            .first()
        )
        if enrolment is None:
            return None
        user = enrolment.staff.user
        certificate, _created = Certificate.objects.get_or_create(
            enrolment=enrolment,
            defaults={
                "staff": enrolment.staff,
                "programme": enrolment.programme,
                "holder_name": user.get_full_name() or str(user),
                "programme_title": enrolment.programme.title,
                "completed_on": timezone.localdate(enrolment.completed_at),
            },
        )
        if not certificate.pdf:
            language = user.preferred_language
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE
            pdf = certificate_pdf(certificate=certificate, language=language)
            certificate.pdf.save(f"{certificate.uuid.hex}.pdf", ContentFile(pdf), save=False)
            certificate.save(update_fields=["pdf"])
    return certificate


def certificates_missing() -> list[int]:
    """Completed enrolments without a certificate PDF (a task lost on the way): for the safety net."""
    return list(
        Enrolment.objects.filter(completed_at__isnull=False)
        .exclude(certificate__pdf__gt="")
        .values_list("pk", flat=True)
        .order_by("pk")[:1000]
    )


# --- Sign-in card sheets for staff ------------------------------------------------------------------------


def card_sheet_request(*, manager, team: Team, staff) -> StaffCardSheet:
    """Ask for a sheet of sign-in cards for staff of a team the manager manages; the task makes it.

    Only the sheet's id goes to the broker: the new PINs are made in the task (hashing them is slow),
    never here and never in the message.
    """
    ids = {member.pk for member in staff}
    if not ids:
        raise ValidationError(_("Choose at least one person."))
    if not selectors.manager_teams(manager=manager).filter(pk=team.pk).exists():
        raise ValidationError(_("You do not manage this team."))
    if ids - set(selectors.card_sheet_staff(team=team).filter(pk__in=ids).values_list("pk", flat=True)):
        raise ValidationError(_("You can only print cards for people who work in this team."))
    with transaction.atomic():
        sheet = StaffCardSheet.objects.create(team=team, manager=manager, card_count=len(ids))
        sheet.staff.add(*ids)
        card_sheets.sheet_enqueue(sheet=sheet, task_name=RENDER_TASK)
    return sheet


def _sheet_cards(sheet: StaffCardSheet) -> tuple[list[account_cards.Card], str]:
    """Each person's card with a new PIN, and the title, for `card_sheets.sheet_make` (in its transaction).

    People who left the team (or the manager's teams) since the request are left out.
    """
    members = list(
        selectors.card_sheet_staff(team=sheet.team)
        .filter(pk__in=sheet.staff.values("pk"), team__managers=sheet.manager)
        .select_related("user")
    )
    if not members:
        raise card_sheets.SheetProblem(_("None of these people still works in this team."))
    # Someone added in the admin (not by the import) may have no learner code yet.
    account_services.learner_codes_ensure(user_ids=[member.user_id for member in members])
    users = User.objects.select_related("learner_sign_in").in_bulk([member.user_id for member in members])
    made = [account_cards.card_renew(learner=users[member.user_id]) for member in members]
    return made, _("Sign-in cards: %(team)s") % {"team": sheet.team.name}


def card_sheet_render(*, sheet_id: int) -> str:
    """Make the PDF of a waiting sheet and answer its status. Run by the Celery task, once per sheet.

    New PINs, the PDF and the status are written in one transaction: when rendering fails, nobody's old
    PIN stops working.
    """
    return card_sheets.sheet_make(model=StaffCardSheet, sheet_id=sheet_id, folder=cards.FOLDER, cards_for=_sheet_cards)


def card_sheet_remove(*, manager, sheet: StaffCardSheet) -> None:
    """The manager printed the sheet: remove the file now instead of tomorrow."""
    card_sheets.sheet_remove(person=manager, sheet=sheet, folder=cards.FOLDER)


def card_sheets_clean(*, now: datetime | None = None) -> int:
    """Celery beat, every hour: remove sheets older than a day; mark sheets a dead worker left as failed."""
    return card_sheets.sheets_clean(model=StaffCardSheet, folder=cards.FOLDER, now=now or timezone.now())
