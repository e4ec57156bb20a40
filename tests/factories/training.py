"""City staff training: departments, teams, staff members and programmes of modules, lessons and simulators."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from training.models import Department, ItemKind, Programme, ProgrammeAssignment, ProgrammeItem, StaffMember, Team

from .users import UserFactory


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dienst {n}")


class TeamFactory(DjangoModelFactory):
    """A team; `managers=[...]` gives it its training managers."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Ploeg {n}")

    @factory.post_generation
    def managers(team, create, extracted, **kwargs):
        if extracted:
            team.managers.add(*extracted)


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"EMP-{n:04d}")
    team = factory.SubFactory(TeamFactory)
    department = factory.SelfAttribute("team.department")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1000))


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Programma {n}")


def programme_item(programme, target, *, kind: str | None = None, order: int | None = None) -> ProgrammeItem:
    """A module, lesson (pages) or simulator (a scenario) of the programme, by translation key."""
    if kind is None:
        kind = {"ModulePage": ItemKind.MODULE, "LessonPage": ItemKind.LESSON}.get(
            type(target).__name__, ItemKind.SIMULATOR
        )
    order = order if order is not None else programme.items.count() + 1
    return ProgrammeItem.objects.create(
        programme=programme, sort_order=order, kind=kind, target_key=target.translation_key
    )


def required_of(programme, department, *, deadline: date, recurrence_months=None, new_staff_days: int = 60):
    return ProgrammeAssignment.objects.create(
        programme=programme,
        department=department,
        deadline=deadline,
        recurrence_months=recurrence_months,
        new_staff_days=new_staff_days,
    )
