"""training's part of the data download and the erasure (see `accounts.privacy`).

A staff record cascades to its enrolments, reminders and certificates; the certificate PDFs and the
sheets of sign-in cards are files, removed here so they never outlive the person.
"""

from pathlib import Path

from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import card_sheets
from accounts.privacy import DataFile, DataSection, ProviderBase, iso_or_none

from . import cards
from .models import Certificate, Enrolment, ReminderDelivery, StaffCardSheet, StaffMember, Team
from .storage import certificate_storage


def certificate_files_erase(*, certificates) -> list:
    """The PDFs of these certificates, to remove once their rows are gone."""
    names = [name for name in certificates.exclude(pdf="").values_list("pdf", flat=True)]
    return [lambda name=name: certificate_storage().delete(name) for name in names]


class TrainingProvider(ProviderBase):
    name = "training"
    models = ("training.Team", "training.StaffMember", "training.StaffCardSheet")

    def data_sections(self, *, user) -> list[DataSection]:
        staff = StaffMember.objects.select_related("department", "team").filter(user=user).first()
        sections = []
        if staff is not None:
            record = {
                "employee_number": staff.employee_number,
                "department": staff.department.name,
                "team": staff.team.name,
                "start_date": iso_or_none(staff.start_date),
                "email": staff.email,
                "phone": staff.phone,
                "works_here": staff.active,
                "left_on": iso_or_none(staff.left_at),
                "updated_at": iso_or_none(staff.updated_at),
            }
            sections.append(
                DataSection(
                    key="staff_record",
                    title=_("Your staff record"),
                    labels={
                        "employee_number": _("Employee number"),
                        "department": _("Department"),
                        "team": _("Team"),
                        "start_date": _("Start date"),
                        "email": _("E-mail address"),
                        "phone": _("Mobile phone"),
                        "works_here": _("Works here"),
                        "left_on": _("Left on"),
                    },
                    rows=[record],
                    single=True,
                )
            )
            enrolments = [
                {
                    "programme": row.programme.title,
                    "cycle": row.cycle,
                    "opened_on": iso_or_none(row.opened_on),
                    "due": iso_or_none(row.due),
                    "completed_at": iso_or_none(row.completed_at),
                }
                for row in Enrolment.objects.filter(staff=staff).select_related("programme").order_by("due", "pk")
            ]
            reminders = [
                {
                    "programme": row.enrolment.programme.title,
                    "stage": row.get_stage_display(),
                    "channel": row.get_channel_display(),
                    "sent_at": iso_or_none(row.sent_at or row.claimed_at),
                    "seen_at": iso_or_none(row.seen_at),
                }
                for row in ReminderDelivery.objects.filter(enrolment__staff=staff)
                .select_related("enrolment__programme")
                .order_by("claimed_at", "pk")
            ]
            certificates, files = [], []
            for row in Certificate.objects.filter(staff=staff).order_by("completed_on", "pk"):
                name = ""
                if row.pdf:
                    name = (
                        f"certificates/{slugify(row.programme_title) or 'certificate'}-{row.completed_on}-{row.pk}.pdf"
                    )
                    files.append(DataFile(name=name, path=Path(certificate_storage().path(row.pdf.name))))
                certificates.append(
                    {
                        "programme": row.programme_title,
                        "holder_name": row.holder_name,
                        "completed_on": iso_or_none(row.completed_on),
                        "file": name,
                    }
                )
            sections += [
                DataSection(
                    key="enrolments",
                    title=_("Your required training"),
                    labels={
                        "programme": _("Programme"),
                        "cycle": _("Round"),
                        "due": _("Finish by"),
                        "completed_at": _("Finished on"),
                    },
                    rows=enrolments,
                ),
                DataSection(
                    key="reminders",
                    title=_("Reminders we sent you"),
                    labels={
                        "programme": _("Programme"),
                        "stage": _("When"),
                        "channel": _("How"),
                        "sent_at": _("Sent on"),
                        "seen_at": _("Seen on"),
                    },
                    rows=reminders,
                ),
                DataSection(
                    key="certificates",
                    title=_("Your certificates"),
                    labels={
                        "programme": _("Programme"),
                        "holder_name": _("Name on the certificate"),
                        "completed_on": _("Finished on"),
                        "file": _("File"),
                    },
                    rows=certificates,
                    files=files,
                ),
            ]
        teams = [{"team": str(team)} for team in Team.objects.filter(managers=user).select_related("department")]
        if teams:
            sections.append(
                DataSection(key="managed_teams", title=_("Teams you manage"), labels={"team": _("Team")}, rows=teams)
            )
        sheets = card_sheets.sheets_data_section(
            sheets=StaffCardSheet.objects.filter(Q(staff__user=user) | Q(manager=user)),
            user=user,
            key="staff_card_sheets",
            title=_("Sheets of sign-in cards for staff"),
            scope_label=_("Team"),
        )
        if sheets.rows:
            sections.append(sheets)
        return sections

    def erase(self, *, user) -> list:
        return staff_record_erase(staff=StaffMember.objects.filter(user=user), manager=user)

    def looked_after(self, *, user_ids: set[int]) -> set[int]:
        # Staff are reached by the managers of their team (and administrators), not by a coach.
        return set(StaffMember.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))

    def retention_holds(self, *, user_ids: set[int]) -> set[int]:
        # Someone who still works here keeps their account; leavers follow `training.retention`.
        return set(StaffMember.objects.filter(user_id__in=user_ids, active=True).values_list("user_id", flat=True))


def staff_record_erase(*, staff, manager=None) -> list:
    """Certificate PDFs and card sheets of these staff records (and sheets `manager` asked for): the files
    to remove once the rows are gone. The caller deletes the rows (or the person)."""
    ids = list(staff.values_list("pk", flat=True))
    removals = certificate_files_erase(certificates=Certificate.objects.filter(staff_id__in=ids))
    scope = Q(staff__in=ids)
    if manager is not None:
        scope |= Q(manager=manager)
    sheet_ids = list(StaffCardSheet.objects.filter(scope).values_list("pk", flat=True).distinct())
    removals += card_sheets.sheets_erase(sheets=StaffCardSheet.objects.filter(pk__in=sheet_ids), folder=cards.FOLDER)
    return removals
