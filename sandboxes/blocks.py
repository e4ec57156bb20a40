"""The scenario editor in Wagtail: one StreamField block per element of FORMAT.md, same names.

Texts a learner reads are CharBlock/TextBlock, so wagtail-localize offers them for translation. Ids,
targets, expected values and other wiring are `PlainBlock`s: wagtail-localize copies them from the
source unchanged, so a translation can never break the scenario's structure.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail_localize.segments import StringSegmentValue

ID_HELP = _("Lower-case letters, digits, - and _; unique on this screen.")


class PlainBlock(blocks.CharBlock):
    """A string that is wiring, not text: never offered for translation."""

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class OptionalText:
    """An optional text: offered for translation only when the source has one (an empty one would
    be a blank line in the translator's list, and wagtail-localize refuses a missing one)."""

    def get_translatable_segments(self, value):
        return [StringSegmentValue("", value)] if value else []

    def restore_translated_segments(self, value, segments):
        return segments[0].render_text() if segments else value


class OptionalCharBlock(OptionalText, blocks.CharBlock):
    pass


class OptionalTextBlock(OptionalText, blocks.TextBlock):
    pass


class IdBlock(PlainBlock):
    def __init__(self, required=True, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", ID_HELP)
        super().__init__(
            required=required,
            validators=[RegexValidator(r"^[a-z0-9_-]+$", _("Use lower-case letters, digits, - and _ only."))],
            **kwargs,
        )


class PairsBlock(PlainBlock):
    """`name=value, name=value`: the choices an action remembers or needs."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            validators=[
                RegexValidator(
                    r"^\s*([a-z0-9_:-]+\s*=\s*[^,=]+)(\s*,\s*[a-z0-9_:-]+\s*=\s*[^,=]+)*\s*$",
                    _("Write name=value, separated by commas."),
                )
            ],
            **kwargs,
        )


def action_blocks():
    """What every interactive element can do (FORMAT.md, "Actions")."""
    return [
        ("goto", IdBlock(required=False, label=_("Go to screen"), help_text=_("The id of the next screen."))),
        (
            "result",
            blocks.ChoiceBlock(
                choices=[("", _("Automatic")), ("right", _("Right")), ("wrong", _("Wrong")), ("neutral", _("Neutral"))],
                required=False,
                label=_("Result"),
                help_text=_("Automatic: right when it goes somewhere or reaches a goal."),
            ),
        ),
        ("feedback", OptionalTextBlock(required=False, label=_("Feedback"), help_text=_("Needed when it is wrong."))),
        ("safety", blocks.BooleanBlock(required=False, label=_("Safety error"))),
        ("goal", IdBlock(required=False, label=_("Reaches goal"))),
        ("set", PairsBlock(label=_("Remember"), help_text=_("For example: route=mechelen-gent"))),
        ("require", PairsBlock(label=_("Only right when"), help_text=_("For example: journey=return"))),
        ("require_fields", PlainBlock(required=False, label=_("Fields that must be right first"))),
        ("require_feedback", OptionalTextBlock(required=False, label=_("Feedback when the condition is not met"))),
    ]


VARIANTS = [("primary", _("Main button")), ("secondary", _("Other button")), ("link", _("Link"))]


class OptionBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    detail = OptionalCharBlock(required=False, label=_("Detail"))
    variant = blocks.ChoiceBlock(choices=VARIANTS, default="primary", label=_("Look"))

    def __init__(self, **kwargs):
        super().__init__(action_blocks(), **kwargs)


class LineBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"))
    value = blocks.CharBlock(label=_("Value"))


class TextComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    text = blocks.TextBlock(label=_("Text"))
    style = blocks.ChoiceBlock(
        choices=[("title", _("Title")), ("body", _("Normal")), ("note", _("Small note"))],
        default="body",
        label=_("Style"),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Text")


class ImageComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    src = PlainBlock(label=_("Picture file"), help_text=_("For example sandboxes/img/card.svg"))
    alt = blocks.CharBlock(label=_("Alt text"), help_text=_("Say what the picture shows."))

    class Meta:
        icon = "image"
        label = _("Picture")


class ButtonComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    variant = blocks.ChoiceBlock(choices=VARIANTS, default="primary", label=_("Look"))

    def __init__(self, **kwargs):
        super().__init__(action_blocks(), **kwargs)

    class Meta:
        icon = "pick"
        label = _("Button")


class FieldComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    input = blocks.ChoiceBlock(
        choices=[
            ("text", _("Text")),
            ("tel", _("Phone number")),
            ("email", _("E-mail")),
            ("numeric", _("Number")),
            ("date", _("Date")),
        ],
        default="text",
        label=_("Kind of input"),
    )
    expected = PlainBlock(required=False, label=_("Expected value"))
    pattern = PlainBlock(required=False, label=_("Pattern (regular expression)"))
    normalize = blocks.ChoiceBlock(
        choices=[("trim", _("Ignore spaces around")), ("digits", _("Digits only")), ("lower", _("Ignore capitals"))],
        default="trim",
        label=_("Before comparing"),
    )
    feedback = blocks.TextBlock(label=_("Feedback when it is not right"))
    prefill = OptionalCharBlock(required=False, label=_("Filled in already"))
    help = OptionalCharBlock(required=False, label=_("Help text"))

    class Meta:
        icon = "edit"
        label = _("Text field")


class PinComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    length = blocks.IntegerBlock(min_value=4, max_value=6, default=5, label=_("Number of digits"))
    expected = PlainBlock(required=False, label=_("Expected code"))
    weak = PlainBlock(required=False, label=_("Weak codes"), help_text=_("Separated by commas, e.g. 12345, 11111"))
    weak_feedback = OptionalTextBlock(required=False, label=_("Warning for a weak code"))
    match = IdBlock(required=False, label=_("Repeat the code of"))

    def __init__(self, **kwargs):
        super().__init__(action_blocks(), **kwargs)

    class Meta:
        icon = "lock"
        label = _("PIN pad")


class ListComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    searchable = blocks.BooleanBlock(required=False, label=_("With a search box"))
    options = blocks.ListBlock(OptionBlock(), label=_("Choices"))

    class Meta:
        icon = "list-ul"
        label = _("List or station picker")


class SlotsComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))
    options = blocks.ListBlock(OptionBlock(), label=_("Dates or times"))

    class Meta:
        icon = "date"
        label = _("Date or time slots")


class NotificationComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    variant = blocks.ChoiceBlock(
        choices=[("sms", _("Text message")), ("push", _("App notification"))], default="sms", label=_("Kind of message")
    )
    sender = blocks.CharBlock(label=_("From"))
    text = blocks.TextBlock(label=_("Message"))

    def __init__(self, **kwargs):
        super().__init__(action_blocks(), **kwargs)

    class Meta:
        icon = "mail"
        label = _("Text message or notification")


class TicketComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    title = blocks.CharBlock(label=_("Title"))
    lines = blocks.ListBlock(LineBlock(), label=_("Lines"))
    code = PlainBlock(max_length=64, label=_("Code for the drawn QR code"))

    class Meta:
        icon = "doc-full"
        label = _("E-ticket")


class DialogComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    text = blocks.TextBlock(label=_("Question"))
    options = blocks.ListBlock(OptionBlock(), label=_("Buttons"))


class PermissionComponentBlock(DialogComponentBlock):
    app = blocks.CharBlock(label=_("App"))

    class Meta:
        icon = "warning"
        label = _("Permission question")


class CookiesComponentBlock(DialogComponentBlock):
    site = blocks.CharBlock(label=_("Website"))

    class Meta:
        icon = "warning"
        label = _("Cookie banner")


class RequestComponentBlock(DialogComponentBlock):
    sender = blocks.CharBlock(label=_("Who asks"))
    details = blocks.ListBlock(LineBlock(), label=_("Details"))

    class Meta:
        icon = "help"
        label = _("Request to confirm or reject")


class PriceComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("Label"))

    class Meta:
        icon = "tag"
        label = _("Price (from the fare rules)")


class SummaryValueBlock(blocks.StructBlock):
    value = PlainBlock(label=_("Value"))
    label = blocks.CharBlock(label=_("Shown as"))


class SummaryRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"))
    var = PlainBlock(label=_("Remembered choice"))
    values = blocks.ListBlock(SummaryValueBlock(), label=_("Values"))


class SummaryComponentBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    rows = blocks.ListBlock(SummaryRowBlock(), label=_("Rows"))

    class Meta:
        icon = "list-ol"
        label = _("Summary of choices")


COMPONENT_BLOCKS = [
    ("text", TextComponentBlock()),
    ("image", ImageComponentBlock()),
    ("button", ButtonComponentBlock()),
    ("field", FieldComponentBlock()),
    ("pin", PinComponentBlock()),
    ("list", ListComponentBlock()),
    ("slots", SlotsComponentBlock()),
    ("notification", NotificationComponentBlock()),
    ("ticket", TicketComponentBlock()),
    ("permission", PermissionComponentBlock()),
    ("cookies", CookiesComponentBlock()),
    ("request", RequestComponentBlock()),
    ("price", PriceComponentBlock()),
    ("summary", SummaryComponentBlock()),
]


class ScreenBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"), help_text=_("Unique in this scenario."))
    title = blocks.CharBlock(label=_("Title"))
    instruction = blocks.TextBlock(label=_("Instruction (guided mode)"))
    hint = blocks.TextBlock(label=_("Hint (practice mode)"))
    guide = IdBlock(required=False, label=_("Element to highlight"))
    goal = IdBlock(required=False, label=_("Reaching this screen reaches goal"))
    components = blocks.StreamBlock(COMPONENT_BLOCKS, label=_("Elements"))

    class Meta:
        icon = "mobile-alt"
        label = _("Screen")


class GoalBlock(blocks.StructBlock):
    id = IdBlock(label=_("Id"))
    label = blocks.CharBlock(label=_("What must be done"))

    class Meta:
        icon = "tick"
        label = _("Goal")


class FareBlock(blocks.StructBlock):
    var = PlainBlock(label=_("Remembered choice"))
    value = PlainBlock(label=_("Value"))
    amount = blocks.FloatBlock(label=_("Amount (base price in euro, or a factor)"))


class StepBlock(blocks.StructBlock):
    screen = IdBlock(label=_("Screen"))
    element = IdBlock(label=_("Element"))
    value = PlainBlock(required=False, label=_("Typed value"))

    class Meta:
        icon = "arrow-right"
        label = _("Step")
