"""coaching's part of the data download, the erasure and handing learners over (see `accounts.privacy`)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts import card_sheets
from accounts.privacy import DataSection, ProviderBase, iso_or_none

from . import cards
from .models import Assignment, CardSheet, CoachGroup


class CoachingProvider(ProviderBase):
    name = "coaching"
    models = ("coaching.CoachGroup", "coaching.Assignment", "coaching.CardSheet")

    def data_sections(self, *, user) -> list[DataSection]:
        groups = [
            {"group": group.name, "role": _("Learner"), "since": None}
            for group in CoachGroup.objects.filter(learners=user).order_by("name", "pk")
        ] + [
            {"group": group.name, "role": _("Coach"), "since": iso_or_none(group.created_at)}
            for group in CoachGroup.objects.filter(coaches=user).order_by("name", "pk")
        ]
        given_to_me = (
            Assignment.objects.filter(group__learners=user)
            .filter(Q(learners__isnull=True) | Q(learners=user))
            .select_related("group")
            .distinct()
            .order_by("created_at", "pk")
        )
        assignments = [
            {
                "group": row.group.name,
                "kind": row.get_kind_display(),
                "target": str(row.target_key),
                "due": iso_or_none(row.due),
                "note": row.note,
                "given_on": iso_or_none(row.created_at),
                "for": _("You"),
            }
            for row in given_to_me
        ] + [
            {
                "group": row.group.name,
                "kind": row.get_kind_display(),
                "target": str(row.target_key),
                "due": iso_or_none(row.due),
                "note": row.note,
                "given_on": iso_or_none(row.created_at),
                "for": _("Given by you"),
            }
            for row in Assignment.objects.filter(created_by=user).select_related("group").order_by("created_at", "pk")
        ]
        return [
            DataSection(
                key="groups",
                title=_("Your groups"),
                labels={"group": _("Group"), "role": _("Role")},
                rows=groups,
            ),
            DataSection(
                key="assignments",
                title=_("Tasks from your coach"),
                labels={
                    "group": _("Group"),
                    "kind": _("Kind"),
                    "target": _("Module, lesson or simulator"),
                    "due": _("Finish by"),
                    "note": _("Note"),
                    "for": _("For"),
                },
                rows=assignments,
            ),
            card_sheets.sheets_data_section(
                sheets=CardSheet.objects.filter(Q(learners=user) | Q(coach=user)),
                user=user,
                key="card_sheets",
                title=_("Sheets of sign-in cards"),
                scope_label=_("Group"),
                on_it=True,
            ),
        ]

    def erase(self, *, user) -> list:
        sheets = CardSheet.objects.filter(Q(learners=user) | Q(coach=user)).distinct()
        ids = list(sheets.values_list("pk", flat=True))
        removals = card_sheets.sheets_erase(sheets=CardSheet.objects.filter(pk__in=ids), folder=cards.FOLDER)
        return removals + [lambda: [cards.secrets_forget(sheet_id=pk) for pk in ids] and None]

    def orphans(self, *, user) -> set[int]:
        """Learners of the groups this person is the only coach of."""
        # Counted over all coaches of the group: filtering on this coach first would join only their row.
        mine = CoachGroup.objects.filter(coaches=user).values("pk")
        alone = CoachGroup.objects.filter(pk__in=mine).annotate(count=Count("coaches")).filter(count=1)
        return set(
            CoachGroup.learners.through.objects.filter(coachgroup__in=alone.values("pk"))
            .exclude(user=user)
            .values_list("user_id", flat=True)
        )

    def hand_over(self, *, from_user, to_user) -> None:
        """The other coach joins every group of the one who leaves, so no group is left without a coach."""
        for group in CoachGroup.objects.filter(coaches=from_user).exclude(coaches=to_user):
            group.coaches.add(to_user)
