"""Wagtail content: home -> module catalogue -> module -> lesson, plus the help points.

Pages stay thin: each page's own queries are small class methods here (a Wagtail page is its own view;
`selectors.py` reads through them and never the other way), and the catalogue filter and quiz answer
are parsed by forms in `forms.py`, so a bad query string becomes a 400 instead of a server error.
"""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField, TranslatableField

from learn.errors import bad_request_response
from learn.page_cache import page_cache_generation
from learn.personal import shared_render
from learn.signed_in_cache import LEARNER, SHARED, shared_for_signed_in
from progress.selectors import lesson_progress_for

from .blocks import GoalBlock, lesson_body_blocks
from .choices import District, HelpPointKind, Level, TargetGroup, Topic
from .fields import MultipleChoiceField
from .forms import CatalogueFilterForm, HelpPointFilterForm, QuizAnswerForm
from .opening import help_points_opening
from .panels import LessonChecksPanel


class SignedInCachedPage:
    """A page that signed-in learners get from learn/signed_in_cache.py once rendered.

    Only pages nobody is kept out of: a view restriction (group, password, sign-in) makes the page be
    rendered each time, so its checks run for every request.
    """

    signed_in_cache_scope = SHARED

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        previewed = getattr(request, "is_preview", False)
        if shared_render(request) and not previewed and not self.get_view_restrictions().exists():
            shared_for_signed_in(response, self.signed_in_cache_scope)
        return response


class HomePage(SignedInCachedPage, Page):
    hero_title = models.CharField(_("welcome title"), max_length=120)
    hero_text = models.TextField(_("welcome text"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.ModuleIndexPage", "lessons.HelpPointsPage"]
    template = "lessons/home_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Wagtail's own tree walk, remembered per URL.

        The walk costs two queries per level (about 8 for a lesson). Each site's tree is small and
        changes only on publish, move or slug change, which bump the cache generation, so the answer
        is remembered and the next visit costs one query. Unknown paths are not remembered: random
        URLs must not fill the cache.
        """
        generation = page_cache_generation()
        if not path_components or generation is None:  # no cache to trust: Wagtail's own walk
            return super().route(request, path_components)
        key = f"route:{generation}:{self.pk}:{'/'.join(path_components)}"
        target = cache.get(key)
        if target is not None:
            content_type_id, page_id = target
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            page = model.objects.filter(pk=page_id, live=True).first() if model else None
            if page is not None:
                return RouteResult(page)
        result = super().route(request, path_components)
        page, args, kwargs = result
        if not args and not kwargs:
            cache.set(key, (page.content_type_id, page.pk), 3600)
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = ModulePage.catalogue(locale=self.locale)[:6]
        context["catalogue"] = ModuleIndexPage.for_locale(self.locale)
        context["help_page"] = HelpPointsPage.for_locale(self.locale)
        return context


class ModuleIndexPage(SignedInCachedPage, Page):
    """The catalogue of modules, filterable by topic, level and target group."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lessons.HomePage"]
    subpage_types = ["lessons.ModulePage"]
    template = "lessons/module_index_page.html"

    class Meta:
        verbose_name = _("module catalogue")

    @classmethod
    def for_locale(cls, locale):
        return cls.objects.live().filter(locale=locale).first()

    def serve(self, request, *args, **kwargs):
        form = CatalogueFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return bad_request_response(request, form.error_message())
        request.catalogue_filter = form
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = getattr(request, "catalogue_filter", None)
        filters = form.cleaned_data if form is not None and form.is_bound else {}
        context["filter_form"] = form
        context["modules"] = ModulePage.catalogue(
            locale=self.locale,
            topic=filters.get("topic") or None,
            level=filters.get("level") or None,
            target_group=filters.get("target_group") or None,
        )
        context["filtered"] = bool(filters and any(filters.values()))
        return context


class ModulePage(SignedInCachedPage, Page):
    intro = models.TextField(_("introduction"))
    learning_goals = StreamField([("goal", GoalBlock())], verbose_name=_("learning goals"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.STARTER)
    target_groups = MultipleChoiceField(choices=TargetGroup.choices, verbose_name=_("target groups"))
    sort_order = models.PositiveSmallIntegerField(_("position in the catalogue"), default=100)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("alt text of the cover image"),
        max_length=250,
        blank=True,
        help_text=_("Leave empty only when the image is decoration."),
    )
    cover_decorative = models.BooleanField(_("the cover image is only decoration"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("learning_goals"),
        MultiFieldPanel(
            [FieldPanel("topic"), FieldPanel("level"), FieldPanel("target_groups"), FieldPanel("estimated_minutes")],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_alt"), FieldPanel("cover_decorative")],
            heading=_("Cover image"),
        ),
        FieldPanel("sort_order"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    override_translatable_fields = [SynchronizedField("sort_order"), SynchronizedField("cover_decorative")]

    parent_page_types = ["lessons.ModuleIndexPage"]
    subpage_types = ["lessons.LessonPage"]
    template = "lessons/module_page.html"
    # Shows the learner's own done marks: kept per learner until their next statement.
    signed_in_cache_scope = LEARNER

    class Meta:
        verbose_name = _("module")

    @classmethod
    def catalogue(
        cls, *, locale, topic: str | None = None, level: str | None = None, target_group: str | None = None
    ) -> list:
        """Live modules of one language, in catalogue order, optionally filtered.

        Target groups are a JSON list; the catalogue holds dozens of modules, so that filter runs in
        Python rather than with a JSON lookup SQLite lacks.
        """
        queryset = cls.objects.live().filter(locale=locale).select_related("cover_image")
        if topic:
            queryset = queryset.filter(topic=topic)
        if level:
            queryset = queryset.filter(level=level)
        modules = list(queryset.order_by("sort_order", "path"))
        if target_group:
            modules = [module for module in modules if target_group in (module.target_groups or [])]
        return modules

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_decorative and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": _("Write alt text, or mark the image as decoration.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = list(LessonPage.of_module(self))
        context["lessons"] = lessons
        # Signed-in learners see which lessons they finished; anonymous pages stay the same for all.
        user = getattr(request, "user", None)
        context["lesson_progress"] = (
            lesson_progress_for(user=user, lesson_keys=[lesson.translation_key for lesson in lessons])
            if user is not None and user.is_authenticated
            else {}
        )
        return context

    @property
    def topic_label(self):
        return Topic(self.topic).label if self.topic in Topic.values else self.topic

    @property
    def level_label(self):
        return Level(self.level).label if self.level in Level.values else self.level

    @property
    def target_group_labels(self):
        return [TargetGroup(value).label for value in self.target_groups if value in TargetGroup.values]


class LessonVersion:
    """Which text of a lesson a learner reads: the normal one, or the easier (A2) one.

    The choice travels in the URL (`?version=easy`), because anonymous pages are cached by their
    full URL (learn/middleware.py): the easy version is its own cache entry, and no cookie can make
    a guest see another guest's version. Signed-in learners' pages are never cached, so their last
    choice is also kept in the session and applies to the next lesson without the parameter.
    """

    PARAMETER = "version"
    NORMAL = "normal"
    EASY = "easy"
    SESSION_KEY = "lesson_version"
    CHOICES = (NORMAL, EASY)


class LessonPage(SignedInCachedPage, Page):
    summary = models.CharField(_("summary"), max_length=300)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    body = StreamField(lesson_body_blocks(), verbose_name=_("lesson content"))
    # The same blocks, in easier words (CEFR A2). Questions, H5P and simulator blocks here are activities
    # of their own (their own block ids); see lessons/activities.py for how they count for progress.
    simple_body = StreamField(
        lesson_body_blocks(),
        verbose_name=_("easier version (A2)"),
        blank=True,
        help_text=_(
            "Optional. The same lesson in easier words: short sentences, everyday words, one idea per "
            "sentence. Learners can switch between both versions."
        ),
    )

    # The lesson's completion rule for its questions (progress/services.py reads it through
    # lessons/activities.py): answered is enough, or each must be answered right at least once.
    answers_must_be_right = models.BooleanField(
        _("finished only with right answers"),
        default=False,
        help_text=_(
            "Off: the lesson is finished when every question is answered, right or wrong. "
            "On: every question must be answered right at least once."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("answers_must_be_right"),
        FieldPanel("body"),
        FieldPanel("simple_body", heading=_("Easier version (A2)")),
        LessonChecksPanel(heading=_("Checks: readability and accessibility")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.SearchField("simple_body"),
    ]

    override_translatable_fields = [SynchronizedField("answers_must_be_right")]

    parent_page_types = ["lessons.ModulePage"]
    subpage_types: list[str] = []
    template = "lessons/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    @property
    def has_simple_version(self) -> bool:
        return bool(self.simple_body)

    @property
    def preview_modes(self):
        return [("", _("Normal text")), (LessonVersion.EASY, _("Easier text (A2)"))]

    def serve_preview(self, request, mode_name):
        request.lesson_preview_version = LessonVersion.EASY if mode_name == LessonVersion.EASY else LessonVersion.NORMAL
        return super().serve_preview(request, mode_name)

    def serve(self, request, *args, **kwargs):
        request.quiz_feedback = {}
        query = request.GET.copy()
        asked = query.pop(LessonVersion.PARAMETER, [None])[-1]
        if asked is not None and asked not in LessonVersion.CHOICES:
            return bad_request_response(request, _("This version of the lesson does not exist."))
        request.lesson_version = self.version_for(request, asked)
        if query:
            # Questions of both versions: a question's id is unique across the two bodies.
            questions = {
                block.id: block.value
                for stream in (self.body, self.simple_body)
                for block in stream
                if block.block_type == "question"
            }
            form = QuizAnswerForm(query, questions=questions)
            if not form.is_valid():
                return bad_request_response(request, form.error_message())
            request.quiz_feedback = form.feedback()
        return super().serve(request, *args, **kwargs)

    @classmethod
    def of_module(cls, module):
        return cls.objects.live().child_of(module).order_by("path")

    def navigation(self) -> dict:
        """Module, position ("lesson 2 of 5"), previous and next lesson, in two queries."""
        module = ModulePage.objects.parent_of(self).first()
        siblings = list(LessonPage.objects.live().sibling_of(self, inclusive=True).order_by("path"))
        ids = [sibling.pk for sibling in siblings]
        index = ids.index(self.pk) if self.pk in ids else 0
        return {
            "module": module,
            "lesson_number": index + 1,
            "lesson_count": len(siblings) or 1,
            "previous_lesson": siblings[index - 1] if index > 0 else None,
            "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
        }

    def version_for(self, request, asked: str | None) -> str:
        """The version to show: the one asked for in the URL, else a signed-in learner's last choice."""
        preview = getattr(request, "lesson_preview_version", None)
        if preview is not None:
            return preview if self.has_simple_version else LessonVersion.NORMAL
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if asked is not None and signed_in:
            request.session[LessonVersion.SESSION_KEY] = asked
        elif asked is None and signed_in:
            asked = request.session.get(LessonVersion.SESSION_KEY)
        if asked == LessonVersion.EASY and self.has_simple_version:
            return LessonVersion.EASY
        return LessonVersion.NORMAL

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.navigation())
        context["quiz_feedback"] = getattr(request, "quiz_feedback", {})
        context["help_points"] = HelpPoint.listed(locale=self.locale)
        context["help_page"] = HelpPointsPage.for_locale(self.locale)
        # Previews skip `serve`: there the version comes from the preview mode.
        version = getattr(request, "lesson_version", None) or self.version_for(request, None)
        easy = version == LessonVersion.EASY
        context["lesson_version"] = version
        context["lesson_body"] = self.simple_body if easy else self.body
        # Guests keep the easier text from lesson to lesson through the URL of the pager links.
        for name in ("previous_lesson", "next_lesson"):
            neighbour = context.get(name)
            keep = easy and neighbour is not None and neighbour.has_simple_version
            context[f"{name}_query"] = f"?{LessonVersion.PARAMETER}={LessonVersion.EASY}" if keep else ""
        return context


class HelpPointsPage(Page):
    """ "Help nearby": every help point in the learner's language, open now or not, by area.

    "Open now" is worked out on the server for each request, in Brussels time. The page is therefore
    marked `private`, which keeps the anonymous page cache (learn/middleware.py) from storing it: a
    cached copy would say "open" long after closing time. The page is one query for the points and one
    for their hours, so rendering it each time is cheap, and it needs no JavaScript.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lessons.HomePage"]
    subpage_types: list[str] = []
    template = "lessons/help_points_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("help nearby page")

    @classmethod
    def for_locale(cls, locale):
        return cls.objects.live().filter(locale=locale).first()

    def serve(self, request, *args, **kwargs):
        form = HelpPointFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return bad_request_response(request, form.error_message())
        request.help_point_filter = form
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = getattr(request, "help_point_filter", None)
        if form is None:  # previews skip `serve`
            form = HelpPointFilterForm()
        filters = form.cleaned_data if form is not None and form.is_bound else {}
        points = HelpPoint.listed(
            locale=self.locale, district=filters.get("district") or None, order=filters.get("order") or None
        )
        context["filter_form"] = form
        context["filtered"] = bool(filters.get("district"))
        context["help_points"] = points
        context["opening"] = help_points_opening(help_points=points)
        return context


@register_snippet
class HelpPoint(TranslatableMixin, index.Indexed, ClusterableModel):
    """A place where people get help: a digibank point, the library, a service centre.

    `opening_hours` is the text people read; `opening_times` (weekday, opens, closes rows) is the same in
    a form the site can compute with, to say whether the point is open now.
    """

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=HelpPointKind.choices)
    street = models.CharField(_("street and number"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=10, default="2800")
    city = models.CharField(_("city"), max_length=60, default="Mechelen")
    district = models.CharField(_("district"), max_length=20, choices=District.choices, default=District.CENTRE)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.TextField(
        _("opening hours"), help_text=_("As people read it. Also fill in the opening times below.")
    )
    offers = models.TextField(_("what you can do there"), blank=True)
    device_lending = models.BooleanField(_("lends devices"), default=False)
    free_wifi = models.BooleanField(_("free wifi"), default=False)
    coach_on_site = models.BooleanField(_("a coach is there to help"), default=False)
    digidokter_days = models.CharField(_("digidokter days"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("position"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("postcode"), FieldPanel("city"), FieldPanel("district")],
            heading=_("Address"),
        ),
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        InlinePanel("opening_times", heading=_("Opening times"), label=_("Opening time")),
        FieldPanel("offers"),
        MultiFieldPanel(
            [
                FieldPanel("device_lending"),
                FieldPanel("free_wifi"),
                FieldPanel("coach_on_site"),
                FieldPanel("digidokter_days"),
            ],
            heading=_("What is offered"),
        ),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("street"), index.FilterField("locale")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("opening_hours"),
        TranslatableField("offers"),
        TranslatableField("digidokter_days"),
        SynchronizedField("kind"),
        SynchronizedField("street"),
        SynchronizedField("postcode"),
        SynchronizedField("city"),
        SynchronizedField("district"),
        SynchronizedField("phone"),
        SynchronizedField("opening_times"),
        SynchronizedField("device_lending"),
        SynchronizedField("free_wifi"),
        SynchronizedField("coach_on_site"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("help point")
        verbose_name_plural = _("help points")
        ordering = ["sort_order", "name"]

    @classmethod
    def listed(cls, *, locale, district: str | None = None, order: str | None = None) -> list:
        """Help points of one language with their opening times (two queries), optionally of one area.

        `order` is "postcode" or "district" (then the usual order within each), else the editors' order.
        """
        queryset = cls.objects.filter(locale=locale).prefetch_related("opening_times")
        if district:
            queryset = queryset.filter(district=district)
        points = list(queryset.order_by("sort_order", "name"))
        if order == "postcode":
            points.sort(key=lambda point: point.postcode)
        elif order == "district":
            names = {value: str(label) for value, label in District.choices}
            points.sort(key=lambda point: names.get(point.district, point.district))
        return points

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    def route_url(self) -> str:
        """A route to this address on OpenStreetMap: a plain link, so the page loads nothing from elsewhere."""
        return "https://www.openstreetmap.org/directions?" + urlencode({"from": "", "to": self.address})


class HelpPointOpeningTime(Orderable):
    """One opening period: a point open 9-12 and 13:30-16:30 on Monday has two rows for Monday.

    Times are wall-clock times in Brussels (Europe/Brussels), so summer time needs no change here.
    """

    help_point = ParentalKey(HelpPoint, on_delete=models.CASCADE, related_name="opening_times")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=sorted(WEEKDAYS.items()))
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    panels = [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]

    class Meta(Orderable.Meta):
        verbose_name = _("opening time")
        verbose_name_plural = _("opening times")

    def __str__(self):
        return f"{WEEKDAYS[self.weekday]} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be later than the opening time.")})
