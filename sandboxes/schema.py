"""The shape of a scenario (see FORMAT.md), as pydantic models.

Every learner-facing text is a `Text`: one string per language. Whether each language is there is not a
shape question but a translation one, so `validation.scenario_problems` reports it in words.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")]
Text = dict[str, str]
Variable = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_:-]{1,40}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Action(Strict):
    goto: Id | None = None
    result: Literal["right", "wrong", "neutral"] | None = None
    feedback: Text | None = None
    safety: bool = False
    goal: Id | None = None
    set: dict[Variable, str] = Field(default_factory=dict)
    require: dict[Variable, str] = Field(default_factory=dict)
    require_fields: list[Id] = Field(default_factory=list)
    require_feedback: Text | None = None

    @property
    def outcome(self) -> str:
        if self.result:
            return self.result
        return "right" if (self.goto or self.goal) else "neutral"


class Option(Action):
    id: Id
    label: Text
    detail: Text | None = None
    variant: Literal["primary", "secondary", "link"] = "primary"


class Line(Strict):
    label: Text
    value: Text


class TextComponent(Strict):
    type: Literal["text"]
    id: Id
    text: Text
    style: Literal["title", "body", "note"] = "body"


class ImageComponent(Strict):
    type: Literal["image"]
    id: Id
    src: Annotated[str, StringConstraints(pattern=r"^sandboxes/img/[a-z0-9_/-]+\.(svg|png|webp)$")]
    alt: Text


class ButtonComponent(Action):
    type: Literal["button"]
    id: Id
    label: Text
    variant: Literal["primary", "secondary", "link"] = "primary"


class FieldComponent(Strict):
    type: Literal["field"]
    id: Id
    label: Text
    input: Literal["text", "tel", "email", "numeric", "date"] = "text"
    expected: str | None = None
    pattern: str | None = None
    normalize: Literal["trim", "digits", "lower"] = "trim"
    feedback: Text
    prefill: Text | None = None
    help: Text | None = None


class PinComponent(Action):
    type: Literal["pin"]
    id: Id
    label: Text
    length: int = Field(ge=4, le=6)
    expected: Annotated[str, StringConstraints(pattern=r"^\d{4,6}$")] | None = None
    weak: list[Annotated[str, StringConstraints(pattern=r"^\d{4,6}$")]] = Field(default_factory=list)
    weak_feedback: Text | None = None
    match: Id | None = None


class ListComponent(Strict):
    type: Literal["list"]
    id: Id
    label: Text
    searchable: bool = False
    options: list[Option] = Field(min_length=1)


class SlotsComponent(Strict):
    type: Literal["slots"]
    id: Id
    label: Text
    options: list[Option] = Field(min_length=1)


class NotificationComponent(Action):
    type: Literal["notification"]
    id: Id
    variant: Literal["sms", "push"] = "sms"
    sender: Text = Field(alias="from")
    text: Text

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TicketComponent(Strict):
    type: Literal["ticket"]
    id: Id
    title: Text
    lines: list[Line] = Field(default_factory=list)
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class PermissionComponent(Strict):
    type: Literal["permission"]
    id: Id
    app: Text
    text: Text
    options: list[Option] = Field(min_length=1)


class CookiesComponent(Strict):
    type: Literal["cookies"]
    id: Id
    site: Text
    text: Text
    options: list[Option] = Field(min_length=1)


class RequestComponent(Strict):
    type: Literal["request"]
    id: Id
    sender: Text = Field(alias="from")
    text: Text
    details: list[Line] = Field(default_factory=list)
    options: list[Option] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PriceComponent(Strict):
    type: Literal["price"]
    id: Id
    label: Text


class SummaryRow(Strict):
    label: Text
    var: Variable
    values: dict[str, Text]


class SummaryComponent(Strict):
    type: Literal["summary"]
    id: Id
    rows: list[SummaryRow] = Field(min_length=1)


Component = Annotated[
    TextComponent
    | ImageComponent
    | ButtonComponent
    | FieldComponent
    | PinComponent
    | ListComponent
    | SlotsComponent
    | NotificationComponent
    | TicketComponent
    | PermissionComponent
    | CookiesComponent
    | RequestComponent
    | PriceComponent
    | SummaryComponent,
    Field(discriminator="type"),
]

COMPONENT_TYPES = (
    "text",
    "image",
    "button",
    "field",
    "pin",
    "list",
    "slots",
    "notification",
    "ticket",
    "permission",
    "cookies",
    "request",
    "price",
    "summary",
)


class Screen(Strict):
    id: Id
    title: Text
    instruction: Text
    hint: Text
    guide: Id | None = None
    goal: Id | None = None
    components: list[Component] = Field(min_length=1)


class Goal(Strict):
    id: Id
    label: Text


class Persona(Strict):
    name: Text
    facts: list[Line] = Field(default_factory=list)


class App(Strict):
    name: Text
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class FareTable(Strict):
    var: Variable
    table: dict[str, float]


class Fares(Strict):
    currency: Literal["EUR"] = "EUR"
    base: FareTable
    factors: list[FareTable] = Field(default_factory=list)


class Step(Strict):
    """One step of the known right way through the scenario (`solution`)."""

    screen: Id
    element: Id
    value: str | None = None


class Scenario(Strict):
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,60}$")]
    title: Text
    summary: Text
    frame: Literal["phone", "web"] = "phone"
    app: App
    persona: Persona
    start: Id
    state: dict[Variable, str] = Field(default_factory=dict)
    fares: Fares | None = None
    goals: list[Goal] = Field(min_length=1)
    screens: list[Screen] = Field(min_length=1)
    safety: Text | None = None
    solution: list[Step] = Field(default_factory=list)
