"""A scenario, edited and translated in Wagtail (Snippets → Scenarios), previewable in each mode."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .blocks import FareBlock, GoalBlock, LineBlock, ScreenBlock, StepBlock
from .convert import scenario_runtime_for


class Frame(models.TextChoices):
    PHONE = "phone", _("Phone app")
    WEB = "web", _("Website")


class Scenario(PreviewableMixin, TranslatableMixin, index.Indexed, models.Model):
    slug = models.SlugField(max_length=60, help_text=_("The scenario's name in web addresses, e.g. train."))
    title = models.CharField(max_length=120)
    summary = models.TextField(help_text=_("One or two sentences: what the learner practises."))
    frame = models.CharField(max_length=10, choices=Frame.choices, default=Frame.PHONE)
    app_name = models.CharField(
        max_length=60, help_text=_("A look-alike name, never the real brand or logo (e.g. SpoorApp).")
    )
    app_color = models.CharField(
        max_length=7,
        default="#1d4e89",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour like #1d4e89."))],
        help_text=_("Background of the app bar; white text on it must be easy to read."),
    )
    persona_name = models.CharField(max_length=120, help_text=_("The made-up person the learner plays."))
    persona_facts = StreamField([("fact", LineBlock())], blank=True, help_text=_("Made-up data only."))
    start = models.CharField(max_length=40, help_text=_("The id of the first screen."))
    initial_state = models.CharField(
        max_length=400, blank=True, help_text=_("Choices known at the start: name=value, separated by commas.")
    )
    fares = StreamField(
        [("base", FareBlock(label=_("Base price"))), ("factor", FareBlock(label=_("Price factor")))],
        blank=True,
        help_text=_("Prices come from these rules, never from text on a screen."),
    )
    goals = StreamField([("goal", GoalBlock())])
    screens = StreamField([("screen", ScreenBlock())])
    safety = models.TextField(blank=True, help_text=_("The safety lesson shown at the end."))
    solution = StreamField(
        [("step", StepBlock())], blank=True, help_text=_("The right way through, for the preview and the tests.")
    )
    built_in = models.BooleanField(default=False, editable=False)
    # sha256 of the data file this row was last loaded from (built-in scenarios only).
    data_digest = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableField("app_name"),
        TranslatableField("persona_name"),
        TranslatableField("persona_facts"),
        TranslatableField("goals"),
        TranslatableField("screens"),
        TranslatableField("safety"),
        SynchronizedField("slug"),
        SynchronizedField("frame"),
        SynchronizedField("app_color"),
        SynchronizedField("start"),
        SynchronizedField("initial_state"),
        SynchronizedField("fares"),
        SynchronizedField("solution"),
    ]

    search_fields = [index.SearchField("title"), index.SearchField("summary"), index.FilterField("locale")]

    # The fields have no translated verbose_name (that would need a migration); the panels give the admin its
    # labels in the editor's language instead.
    panels = [
        HelpPanel(template="sandboxes/admin/format_help.html"),
        MultiFieldPanel(
            [
                FieldPanel("title", heading=_("Title")),
                FieldPanel("slug", heading=_("Name in web addresses")),
                FieldPanel("summary", heading=_("Summary")),
                FieldPanel("frame", heading=_("Frame")),
            ],
            heading=_("Scenario"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("app_name", heading=_("App name")),
                FieldPanel("app_color", heading=_("App colour")),
                FieldPanel("persona_name", heading=_("Practice person")),
                FieldPanel("persona_facts", heading=_("Facts about the practice person")),
            ],
            heading=_("App and persona"),
        ),
        FieldPanel("goals", heading=_("Goals")),
        FieldPanel("start", heading=_("First screen")),
        FieldPanel("screens", heading=_("Screens")),
        MultiFieldPanel(
            [
                FieldPanel("initial_state", heading=_("Choices at the start")),
                FieldPanel("fares", heading=_("Prices")),
                FieldPanel("safety", heading=_("Safety lesson")),
                FieldPanel("solution", heading=_("Solution")),
            ],
            heading=_("Prices, safety lesson and solution"),
            classname="collapsed",
        ),
    ]

    preview_modes = [
        ("practice", _("Practice")),
        ("guided", _("Guided")),
        ("test", _("Test")),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [models.UniqueConstraint(fields=["locale", "slug"], name="sandboxes_scenario_slug_per_locale")]

    def __str__(self):
        return self.title

    def get_preview_template(self, request, mode_name):
        return "sandboxes/preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context.update(
            {
                "scenario_runtime": scenario_runtime_for(self),
                "mode": mode_name or "practice",
                "activity_id": "",
                "player_id": "preview",
            }
        )
        return context
