"""StreamField blocks of a lesson.

Each block names its icon, its template (under lessons/blocks/) and a preview value, so editors see
it in the block picker. The simulator block (sandboxes app) joins `lesson_body_blocks()` when that app lands; nothing else in a lesson needs to change for them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

# Rich text stays simple on purpose: plain-language lessons need structure, not layout.
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
# Blocks with text to read aloud: they get a read-aloud button (lessons/templates/lessons/lesson_page.html),
# and readaloud makes their clips. H5P runs in its own frame and the simulator block has its own buttons.
READABLE_BLOCKS = frozenset({"text", "tip", "warning", "steps", "question", "image", "video"})


class FigureBlock(blocks.StructBlock):
    """An image with alt text. Alt text is required unless the editor marks the image decorative."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        label=_("Alt text"),
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(required=False, label=_("The image is only decoration"))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Write alt text, or mark the image as decoration."))}
            )
        return value

    class Meta:
        icon = "image"
        label = _("Image")
        template = "lessons/blocks/figure.html"
        preview_value = {"alt_text": _("A smartphone lying on a table"), "caption": _("Your smartphone")}
        description = _("A picture with alt text")


class VideoBlock(blocks.StructBlock):
    """A self-hosted video. Captions and a transcript are required: some learners cannot hear it."""

    video = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("Captions file (WebVTT)"))
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    transcript = blocks.TextBlock(label=_("Transcript"), help_text=_("Everything that is said and shown, as text."))

    VIDEO_EXTENSIONS = ("mp4", "webm")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        video = value.get("video")
        captions = value.get("captions")
        if video and video.file_extension.lower() not in self.VIDEO_EXTENSIONS:
            errors["video"] = ValidationError(_("Choose an MP4 or WebM file."))
        if captions and captions.file_extension.lower() != "vtt":
            errors["captions"] = ValidationError(_("Choose a WebVTT (.vtt) captions file."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lessons/blocks/video.html"
        preview_value = {"title": _("How to unlock your phone"), "transcript": _("Press the button on the side.")}
        description = _("A video with captions and a transcript")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120, label=_("Title"))
    text = blocks.TextBlock(label=_("Text"))


class TipBlock(CalloutBlock):
    class Meta:
        icon = "help"
        label = _("Tip")
        template = "lessons/blocks/tip.html"
        preview_value = {"title": _("Tip"), "text": _("Take your time. You cannot break anything here.")}
        description = _("A helpful tip")


class WarningBlock(CalloutBlock):
    class Meta:
        icon = "warning"
        label = _("Warning")
        template = "lessons/blocks/warning.html"
        preview_value = {"title": _("Careful"), "text": _("Never give your code to anyone.")}
        description = _("A warning about a risk")


class StepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("What to do"))
    screenshot = ImageChooserBlock(required=False, label=_("Screenshot"))
    screenshot_alt = blocks.CharBlock(required=False, max_length=250, label=_("Alt text of the screenshot"))

    def clean(self, value):
        value = super().clean(value)
        if value.get("screenshot") and not (value.get("screenshot_alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "screenshot_alt": ValidationError(_("Describe the screenshot for people who cannot see it."))
                }
            )
        return value


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=160, label=_("Title"))
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        label = _("Step by step")
        template = "lessons/blocks/steps.html"
        preview_value = {
            "title": _("Unlock your phone"),
            "steps": [{"text": _("Press the button on the side.")}, {"text": _("Swipe up.")}],
        }
        description = _("Numbered steps, each with an optional screenshot")


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=250, label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("This is the right answer"))
    feedback = blocks.TextBlock(label=_("Feedback"), help_text=_("Explain why this answer is right or wrong."))


class QuestionBlock(blocks.StructBlock):
    """A multiple-choice question. It is a plain GET form, so it works without JavaScript."""

    question = blocks.CharBlock(max_length=300, label=_("Question"))
    options = blocks.ListBlock(AnswerOptionBlock(), min_num=2, max_num=6, label=_("Answers"))

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value.get("options", []) if option.get("correct"))
        if correct != 1:
            raise StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark exactly one answer as the right one."))}
            )
        return value

    class Meta:
        icon = "help"
        label = _("Question")
        template = "lessons/blocks/question.html"
        preview_value = {
            "question": _("Who may know your PIN code?"),
            "options": [
                {"text": _("Only you"), "correct": True, "feedback": _("Right. Your code is only for you.")},
                {"text": _("Your bank"), "correct": False, "feedback": _("No. A bank never asks for your code.")},
            ],
        }
        description = _("A multiple-choice question with feedback per answer")


class H5PCompletion:
    """When an H5P block counts as done (lessons/activities.py, progress/services.py)."""

    VIEWED = "viewed"
    ANSWERED = "answered"
    PASSED = "passed"


class H5PActivityBlock(blocks.StructBlock):
    """An H5P exercise, played on the player's own origin (h5p/player.py) in a sandboxed frame.

    The completion rule says when the block counts as done for the lesson: once the learner opened
    it (viewed), once they answered it (answered), or once they reached the minimum score (passed).
    """

    content = SnippetChooserBlock("h5p.H5PContent", label=_("H5P exercise"))
    title = blocks.CharBlock(
        max_length=200,
        label=_("Title"),
        help_text=_("Says what the exercise is about; screen readers read it out."),
    )
    completion = blocks.ChoiceBlock(
        choices=[
            (H5PCompletion.VIEWED, _("Done when opened")),
            (H5PCompletion.ANSWERED, _("Done when answered")),
            (H5PCompletion.PASSED, _("Done with a minimum score")),
        ],
        default=H5PCompletion.ANSWERED,
        label=_("When is it done?"),
    )
    min_score = blocks.IntegerBlock(
        min_value=0,
        max_value=100,
        default=50,
        required=False,
        label=_("Minimum score (%)"),
        help_text=_('Only for "Done with a minimum score".'),
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("completion") == H5PCompletion.PASSED and value.get("min_score") is None:
            raise StructBlockValidationError(
                block_errors={"min_score": ValidationError(_("Give the minimum score, from 0 to 100."))}
            )
        return value

    class Meta:
        icon = "form"
        label = _("H5P exercise")
        template = "lessons/blocks/h5p.html"
        preview_value = {"title": _("Practise: unlock your phone"), "completion": "answered", "min_score": 50}
        description = _("An interactive H5P exercise")


class SimulatorBlock(blocks.StructBlock):
    """A practice simulator (sandboxes app) inside the lesson, played in the lesson's language."""

    scenario = SnippetChooserBlock("sandboxes.Scenario", label=_("Scenario"))
    mode = blocks.ChoiceBlock(
        choices=[
            ("", _("The learner chooses")),
            ("guided", _("Guided")),
            ("practice", _("Practice")),
            ("test", _("Test")),
        ],
        required=False,
        default="",
        label=_("Mode"),
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Simulator")
        template = "lessons/blocks/simulator.html"
        description = _("A safe practice version of a real app or website")


def lesson_body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks a lesson body may hold."""
    return [
        (
            "text",
            blocks.RichTextBlock(
                features=RICH_TEXT_FEATURES,
                icon="pilcrow",
                label=_("Text"),
                template="lessons/blocks/text.html",
                preview_value="<p>Een korte, duidelijke uitleg.</p>",
                description=_("Text with headings and lists"),
            ),
        ),
        ("image", FigureBlock()),
        ("video", VideoBlock()),
        ("tip", TipBlock()),
        ("warning", WarningBlock()),
        ("steps", StepsBlock()),
        ("question", QuestionBlock()),
        ("h5p", H5PActivityBlock()),
        ("simulator", SimulatorBlock()),
    ]


class GoalBlock(blocks.CharBlock):
    class Meta:
        icon = "tick"
        label = _("Learning goal")
        template = "lessons/blocks/goal.html"
        preview_value = _("I can unlock my phone.")
