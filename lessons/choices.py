"""Fixed vocabularies of the catalogue. Labels are gettext strings, so they follow the learner's language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    SMARTPHONE = "smartphone", _("Smartphone and tablet")
    SAFETY = "safety", _("Safe online")
    GOVERNMENT = "government", _("Online public services")
    HEALTH = "health", _("Health")
    MOBILITY = "mobility", _("Travel and transport")
    WORK = "work", _("Work and learning")


class Level(models.TextChoices):
    STARTER = "starter", _("Starter")
    BASIC = "basic", _("Basic")
    ADVANCED = "advanced", _("Advanced")


class TargetGroup(models.TextChoices):
    SENIORS = "seniors", _("Older people")
    LOW_INCOME = "low_income", _("Families with a low income")
    DISABILITY = "disability", _("People with a disability")
    JOB_SEEKERS = "job_seekers", _("Job seekers")
    NEWCOMERS = "newcomers", _("Newcomers")
    YOUTH = "youth", _("Young people")
    CITY_STAFF = "city_staff", _("City staff")


class HelpPointKind(models.TextChoices):
    DIGIBANK = "digibank", _("Digibank point")
    LIBRARY = "library", _("Library")
    SERVICE_CENTRE = "service_centre", _("Service centre")
    SURFPOINT = "surfpoint", _("Surf point")
    CITY_HALL = "city_hall", _("City service desk")


class District(models.TextChoices):
    """Mechelen's deelgemeenten, so a learner can find help close to home."""

    CENTRE = "centrum", _("Mechelen city centre")
    NEKKERSPOEL = "nekkerspoel", _("Nekkerspoel")
    BATTEL = "battel", _("Battel")
    HOMBEEK = "hombeek", _("Hombeek")
    HEFFEN = "heffen", _("Heffen")
    LEEST = "leest", _("Leest")
    MUIZEN = "muizen", _("Muizen")
    WALEM = "walem", _("Walem")


# Postcodes of the districts, shown next to their names in the help points filter.
DISTRICT_POSTCODES = {
    District.CENTRE: "2800",
    District.NEKKERSPOEL: "2800",
    District.BATTEL: "2800",
    District.WALEM: "2800",
    District.HEFFEN: "2801",
    District.HOMBEEK: "2811",
    District.LEEST: "2811",
    District.MUIZEN: "2812",
}
