"""Editor checks of a lesson: readability of its text, and accessibility of its images, videos and links.

Pure functions over StreamField values, so they are tested without the admin. The Wagtail side
(lessons/panels.py, lessons/wagtail_hooks.py) only shows their results: a panel in the lesson editor
and warnings after saving.

Readability formulas, by the page's language (the content locale, not the editor's language):

* Dutch: Flesch–Douma, 206.835 − 0.93 × words per sentence − 77 × syllables per word.
* French: Kandel–Moles, 207 − 1.015 × words per sentence − 73.6 × syllables per word.
* English: Flesch Reading Ease, 206.835 − 1.015 × words per sentence − 84.6 × syllables per word.
* Arabic (and other languages): no formula is used; only long sentences are listed, since a syllable
  count of unvocalised Arabic script is not reliable.

All three give about 0 (very hard) to 100 (very easy). Syllables are counted from the spelling
(vowel groups, with each language's common vowel combinations as one sound), which is close enough
for a score that guides editors; it is not a linguistic analysis.

What the score reads: the prose a learner reads (paragraphs and list items of text blocks, tip and
warning texts, steps, questions and their feedback, captions and video transcripts). Headings,
titles, answer options and alt texts are left out: they are not sentences and would flatter the score.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Plain-language guidance for A2 and B1 readers: one idea per sentence, at most 15 words.
MAX_SENTENCE_WORDS = 15
# A word of four syllables or more is a long word (Dutch plain-language practice); a sentence with
# several of them is hard, even when it is short.
LONG_WORD_SYLLABLES = 4
HARD_SENTENCE_LONG_WORDS = 3
# Too little text gives a meaningless score.
MIN_WORDS_FOR_SCORE = 10
TARGET_SCORE = 60
TARGET_SCORE_EASY = 70

# Link texts that do not say where a link goes, compared after lower-casing and trimming punctuation.
VAGUE_LINK_TEXTS = frozenset(
    {
        # Dutch
        "klik hier",
        "klik",
        "hier",
        "lees meer",
        "meer",
        "meer info",
        "meer informatie",
        "deze link",
        "link",
        "ga verder",
        # English
        "click here",
        "click",
        "here",
        "read more",
        "more",
        "more info",
        "this link",
        "learn more",
        # French
        "cliquez ici",
        "cliquez",
        "ici",
        "en savoir plus",
        "lire la suite",
        "plus",
        "ce lien",
        # Arabic
        "اضغط هنا",
        "انقر هنا",
        "هنا",
        "اقرأ المزيد",
        "المزيد",
    }
)
# Alt texts that name the kind of picture instead of what it shows.
VAGUE_ALT_TEXTS = frozenset(
    {
        "afbeelding",
        "foto",
        "plaatje",
        "beeld",
        "schermafbeelding",
        "screenshot",
        "image",
        "picture",
        "photo",
        "img",
        "photo d'écran",
        "capture d'écran",
        "صورة",
    }
)
FILE_NAME = re.compile(r"\.(avif|gif|jpe?g|png|svg|webp)$|_", re.IGNORECASE)

ABBREVIATIONS = frozenset(
    {
        "bv",
        "bijv",
        "bijvoorbeeld",
        "o.a",
        "enz",
        "d.w.z",
        "nr",
        "tel",
        "e.g",
        "i.e",
        "etc",
        "mr",
        "mrs",
        "dr",
        "no",
        "p. ex",
        "ex",
        "m",
        "mme",
        "st",
    }
)
SENTENCE_END = re.compile(r"(?<=[.!?؟…])[\"'”’»)]*\s+")
WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
LETTER = re.compile(r"[^\W\d_]")


# --- Syllables -------------------------------------------------------------------------------------

DUTCH_VOWELS = "aeiouy"
# Longest first: each is one syllable's vowel sound. "ij" is mapped to "y" before counting.
DUTCH_NUCLEI = (
    "aai",
    "ooi",
    "oei",
    "eeu",
    "ieu",
    "eau",
    "aa",
    "ee",
    "oo",
    "uu",
    "ie",
    "oe",
    "eu",
    "ui",
    "ei",
    "au",
    "ou",
    "ai",
    "oi",
    "ay",
    "ey",
    "oy",
)
TREMA = {"ä": "a", "ë": "e", "ï": "i", "ö": "o", "ü": "u"}


def syllables_nl(word: str) -> int:
    """Dutch syllables: vowel groups, where a known combination (aa, ie, ui, ij, eeuw...) is one sound.

    A trema (ë, ï) starts a new syllable: België has three, geïnstalleerd four.
    """
    runs = _vowel_groups(word.lower().replace("ij", "y"), DUTCH_VOWELS, split_on=TREMA)
    return max(sum(_nuclei(run) for run in runs), 1)


def _nuclei(run: str) -> int:
    count = 0
    position = 0
    while position < len(run):
        for nucleus in DUTCH_NUCLEI:
            if run.startswith(nucleus, position):
                position += len(nucleus)
                break
        else:
            position += 1
        count += 1
    return count


FRENCH_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"


def syllables_fr(word: str) -> int:
    """French written syllables: vowel groups, without a silent final -e or -es (porte: one)."""
    word = word.lower().replace("’", "").replace("'", "")  # l'application, aujourd'hui
    count = len(_vowel_groups(word, FRENCH_VOWELS, split_on="ëï"))
    if count > 1 and re.search(r"[^aeiouyàâäéèêëîïôöùûü]es?$", word):
        count -= 1
    return max(count, 1)


ENGLISH_VOWELS = "aeiouy"


def syllables_en(word: str) -> int:
    """English syllables by the usual spelling rules: vowel groups, minus a silent final e."""
    word = word.lower().replace("’", "'").split("'")[0]
    if not word:
        return 1
    count = len(_vowel_groups(word, ENGLISH_VOWELS))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif word.endswith("le") and len(word) > 2 and word[-3] not in ENGLISH_VOWELS and count == 1:
        count += 1
    if word.endswith("ed") and count > 1 and not word.endswith(("ted", "ded")):
        count -= 1
    return max(count, 1)


def _vowel_groups(word: str, vowels: str, split_on="") -> list[str]:
    """Runs of vowels (accents stripped); a letter in `split_on` (a trema) starts a new run."""
    groups: list[str] = []
    current = ""
    for letter in word:
        base = _strip_accent(letter)
        if letter in vowels or base in vowels:
            if letter in split_on and current:
                groups.append(current)
                current = ""
            current += base
        elif current:
            groups.append(current)
            current = ""
    if current:
        groups.append(current)
    return groups


def _strip_accent(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0]


SYLLABLE_COUNTERS = {"nl": syllables_nl, "fr": syllables_fr, "en": syllables_en}


@dataclass(frozen=True)
class Formula:
    name: str
    base: float
    per_word_in_sentence: float
    per_syllable_in_word: float

    def score(self, words_per_sentence: float, syllables_per_word: float) -> float:
        return (
            self.base - self.per_word_in_sentence * words_per_sentence - self.per_syllable_in_word * syllables_per_word
        )


FORMULAS = {
    "nl": Formula("Flesch–Douma", 206.835, 0.93, 77),
    "fr": Formula("Kandel–Moles", 207, 1.015, 73.6),
    "en": Formula("Flesch Reading Ease", 206.835, 1.015, 84.6),
}


def base_language(language: str) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def syllables(word: str, language: str) -> int | None:
    counter = SYLLABLE_COUNTERS.get(base_language(language))
    if counter is None:
        return None
    if not LETTER.search(word):
        return 1  # a number is read as one short word
    return counter(word)


# --- Sentences and words ---------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    return [word.strip(".") for word in WORD.findall(text) if word.strip(".")]


def sentences_of(text: str) -> list[str]:
    """Split text into sentences at . ! ? ؟ … and line breaks, not after common abbreviations."""
    sentences: list[str] = []
    for line in re.split(r"\n+", text):
        pending = ""
        for part in SENTENCE_END.split(line.strip()):
            pending = f"{pending} {part}".strip() if pending else part.strip()
            last_word = pending.rstrip(".").rsplit(" ", 1)[-1].lower()
            if pending.endswith(".") and last_word in ABBREVIATIONS:
                continue
            if pending:
                sentences.append(pending)
            pending = ""
        if pending:
            sentences.append(pending)
    return [sentence for sentence in sentences if words_of(sentence)]


# --- Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where something is, in words an editor recognises: "Easier version (A2), block 3 (Steps), step 2"."""

    field: str
    block_number: int
    block_label: str
    detail: str = ""

    def __str__(self) -> str:
        where = _("%(field)s, block %(number)s (%(label)s)") % {
            "field": self.field,
            "number": self.block_number,
            "label": self.block_label,
        }
        return f"{where}, {self.detail}" if self.detail else where


@dataclass(frozen=True)
class Segment:
    place: Place
    text: str
    prose: bool = True


@dataclass(frozen=True)
class Issue:
    kind: str
    place: Place
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@dataclass(frozen=True)
class Readability:
    language: str
    formula: str
    raw_score: float
    words: int
    sentences: int
    syllables: int

    @property
    def score(self) -> int:
        return round(min(max(self.raw_score, 0), 100))

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words

    @property
    def label(self) -> str:
        for limit, label in (
            (90, _("very easy")),
            (80, _("easy")),
            (70, _("fairly easy")),
            (60, _("plain")),
            (50, _("fairly hard")),
            (30, _("hard")),
        ):
            if self.raw_score >= limit:
                return str(label)
        return str(_("very hard"))


@dataclass
class FieldReport:
    label: str
    easy: bool
    readability: Readability | None
    issues: list[Issue] = field(default_factory=list)
    word_count: int = 0

    @property
    def target(self) -> int:
        return TARGET_SCORE_EASY if self.easy else TARGET_SCORE

    @property
    def below_target(self) -> bool:
        return self.readability is not None and self.readability.raw_score < self.target


@dataclass
class LessonReport:
    language: str
    fields: list[FieldReport]

    @property
    def formula(self) -> str | None:
        formula = FORMULAS.get(base_language(self.language))
        return formula.name if formula else None

    @property
    def no_formula_note(self) -> str:
        return _("No readability formula is used for this language. Long sentences are still listed below.")

    @property
    def issues(self) -> list[Issue]:
        return [issue for report in self.fields for issue in report.issues]


# --- Reading a lesson's StreamField ----------------------------------------------------------------


def readability(text_or_segments, language: str) -> Readability | None:
    """The language's readability score of a text (or of the prose segments), or None without a formula."""
    formula = FORMULAS.get(base_language(language))
    if formula is None:
        return None
    sentences = _prose_sentences(text_or_segments)
    words = [word for sentence in sentences for word in words_of(sentence)]
    if len(words) < MIN_WORDS_FOR_SCORE or not sentences:
        return None
    syllable_count = sum(syllables(word, language) or 1 for word in words)
    raw = formula.score(len(words) / len(sentences), syllable_count / len(words))
    return Readability(
        language=base_language(language),
        formula=formula.name,
        raw_score=raw,
        words=len(words),
        sentences=len(sentences),
        syllables=syllable_count,
    )


def _prose_sentences(text_or_segments) -> list[str]:
    if isinstance(text_or_segments, str):
        return sentences_of(text_or_segments)
    return [sentence for segment in text_or_segments if segment.prose for sentence in sentences_of(segment.text)]


def long_words(sentence: str, language: str) -> list[str]:
    found = []
    for word in words_of(sentence):
        count = syllables(word, language)
        if count is not None and count >= LONG_WORD_SYLLABLES:
            found.append(word)
    return found


def sentence_issues(segments: list[Segment], language: str, *, max_words: int = MAX_SENTENCE_WORDS) -> list[Issue]:
    """Sentences that are too long, or hard because of many long words, each with its place."""
    issues = []
    for segment in segments:
        if not segment.prose:
            continue
        for sentence in sentences_of(segment.text):
            count = len(words_of(sentence))
            if count > max_words:
                issues.append(
                    Issue(
                        "long_sentence",
                        segment.place,
                        ngettext(
                            'This sentence has %(count)s word; keep it to %(limit)s or fewer: "%(sentence)s"',
                            'This sentence has %(count)s words; keep it to %(limit)s or fewer: "%(sentence)s"',
                            count,
                        )
                        % {"count": count, "limit": max_words, "sentence": sentence},
                    )
                )
                continue
            hard = long_words(sentence, language)
            if len(hard) >= HARD_SENTENCE_LONG_WORDS:
                issues.append(
                    Issue(
                        "hard_sentence",
                        segment.place,
                        ngettext(
                            'This sentence has %(count)s long word (%(words)s); use shorter, everyday words: "%(sentence)s"',
                            'This sentence has %(count)s long words (%(words)s); use shorter, everyday words: "%(sentence)s"',
                            len(hard),
                        )
                        % {"count": len(hard), "words": ", ".join(hard), "sentence": sentence},
                    )
                )
    return issues


def block_label(block) -> str:
    label = getattr(block.block, "label", None) or block.block_type
    return str(label)


def stream_segments(stream, field_label: str) -> list[Segment]:
    """Every text of a lesson StreamField, with its place; `prose` marks what the score reads."""
    segments: list[Segment] = []
    for number, block in enumerate(stream or [], start=1):
        kind, value = block.block_type, block.value
        label = block_label(block)

        def add(text, detail="", prose=True, number=number, label=label):
            if text and str(text).strip():
                segments.append(Segment(Place(field_label, number, label, str(detail)), str(text).strip(), prose))

        if kind == "text":
            for element, text in _rich_text_parts(value):
                add(text, prose=element not in ("h2", "h3", "h4"))
        elif kind in ("tip", "warning"):
            add(value.get("title"), _("title"), prose=False)
            add(value.get("text"))
        elif kind == "steps":
            add(value.get("title"), _("title"), prose=False)
            for index, step in enumerate(value.get("steps") or [], start=1):
                add(step.get("text"), _("step %(number)s") % {"number": index})
        elif kind == "question":
            add(value.get("question"), _("question"))
            for index, option in enumerate(value.get("options") or [], start=1):
                add(option.get("text"), _("answer %(number)s") % {"number": index}, prose=False)
                add(option.get("feedback"), _("feedback on answer %(number)s") % {"number": index})
        elif kind == "image":
            add(value.get("caption"), _("caption"))
        elif kind == "video":
            add(value.get("title"), _("title"), prose=False)
            add(value.get("transcript"), _("transcript"))
        elif kind == "h5p":
            add(value.get("title"), _("title"), prose=False)
    return segments


def _rich_text_parts(value) -> list[tuple[str, str]]:
    """(element name, plain text) of each paragraph, list item and heading of a rich text value."""
    soup = BeautifulSoup(_rich_text_source(value), "html.parser")
    parts = []
    for element in soup.find_all(["p", "li", "h2", "h3", "h4"]):
        if element.name == "li" and element.find(["p", "li"]):
            continue
        text = " ".join(element.get_text(" ").split())
        if text:
            parts.append((element.name, text))
    if not parts:
        text = " ".join(soup.get_text(" ").split())
        if text:
            parts.append(("p", text))
    return parts


def _rich_text_source(value) -> str:
    return getattr(value, "source", None) or str(value or "")


def media_issues(stream, field_label: str) -> list[Issue]:
    """Images without (useful) alt text, screenshots without alt text, videos without captions or transcript."""
    issues = []
    for number, block in enumerate(stream or [], start=1):
        kind, value = block.block_type, block.value
        place = Place(field_label, number, block_label(block))
        if kind == "image":
            alt = (value.get("alt_text") or "").strip()
            if value.get("decorative"):
                continue
            if not alt:
                issues.append(
                    Issue(
                        "image_alt",
                        place,
                        _("The image has no alt text. Describe what it shows, or mark it as decoration."),
                    )
                )
            elif _vague_alt(alt):
                issues.append(
                    Issue(
                        "image_alt_vague",
                        place,
                        _('The alt text "%(alt)s" does not say what the image shows. Describe the picture itself.')
                        % {"alt": alt},
                    )
                )
        elif kind == "steps":
            for index, step in enumerate(value.get("steps") or [], start=1):
                if step.get("screenshot") and not (step.get("screenshot_alt") or "").strip():
                    issues.append(
                        Issue(
                            "image_alt",
                            Place(field_label, number, block_label(block), _("step %(number)s") % {"number": index}),
                            _("The screenshot has no alt text. Describe what it shows."),
                        )
                    )
        elif kind == "video":
            if not value.get("captions"):
                issues.append(
                    Issue(
                        "video_captions",
                        place,
                        _(
                            "The video has no captions. Add a WebVTT captions file, so people who cannot "
                            "hear the video can follow it."
                        ),
                    )
                )
            if not (value.get("transcript") or "").strip():
                issues.append(
                    Issue("video_transcript", place, _("The video has no transcript. Write what is said and shown."))
                )
    return issues


def _vague_alt(alt: str) -> bool:
    return bool(FILE_NAME.search(alt)) or _normalise(alt) in VAGUE_ALT_TEXTS


def _normalise(text: str) -> str:
    text = " ".join(text.lower().replace("’", "'").split())
    return text.strip(" .,:;!?¡¿…»«\"'()[]-–—>→←<،؟")


def link_issues(stream, field_label: str) -> list[Issue]:
    """Links in rich text whose words do not say where they go ("klik hier", "lees meer") or that have no words."""
    issues = []
    for number, block in enumerate(stream or [], start=1):
        if block.block_type != "text":
            continue
        place = Place(field_label, number, block_label(block))
        soup = BeautifulSoup(_rich_text_source(block.value), "html.parser")
        for link in soup.find_all("a"):
            text = " ".join(link.get_text(" ").split())
            if not text:
                issues.append(Issue("empty_link", place, _("A link has no text. Write where the link goes.")))
            elif _normalise(text) in VAGUE_LINK_TEXTS:
                issues.append(
                    Issue(
                        "vague_link",
                        place,
                        _(
                            'The link text "%(text)s" does not say where the link goes. Use words that name '
                            'the page, for example "the form to ask for a parking card".'
                        )
                        % {"text": text},
                    )
                )
    return issues


def field_report(stream, field_label: str, language: str, *, easy: bool = False) -> FieldReport:
    segments = stream_segments(stream, field_label)
    return FieldReport(
        label=field_label,
        easy=easy,
        readability=readability(segments, language),
        issues=sentence_issues(segments, language)
        + media_issues(stream, field_label)
        + link_issues(stream, field_label),
        word_count=sum(len(words_of(sentence)) for sentence in _prose_sentences(segments)),
    )


def lesson_report(page) -> LessonReport:
    """The checks of a lesson's text and its easier version, for the page's content language."""
    language = base_language(page.locale.language_code) if getattr(page, "locale_id", None) else "nl"
    fields = [field_report(page.body, _("Lesson content"), language)]
    if getattr(page, "simple_body", None):
        fields.append(field_report(page.simple_body, _("Easier version (A2)"), language, easy=True))
    return LessonReport(language=language, fields=fields)
