"""What is read aloud, cut into sentences: the same rule here and in learn/static/learn/js/readaloud.js.

The browser reads the text of an element marked `data-read-aloud`; the server must find the very
same sentences in the rendered HTML, because a clip is found by its sentence text. Both sides follow
this rule, and tests/readaloud/test_text.py holds the examples:

1. Walk the element's content in document order. Skip, with everything inside them: the tags in
   SKIP_TAGS (buttons, form fields, media, scripts) and any element with `hidden`,
   `aria-hidden="true"` or `data-read-aloud-skip`.
2. Every start or end of a tag in BLOCK_TAGS (and every <br>) ends a *segment*: sentences never run
   from one paragraph, list item, heading or label into the next.
3. Inside a segment a sentence ends after one or more of . ! ? … ؟ (Arabic question mark) together
   with any closing quotes or brackets, when whitespace follows (so "10.30" and "www.mechelen.be"
   stay whole; an abbreviation like "bijv." does end a sentence, which only means a short pause).
4. Each sentence is normalised: Unicode NFC, every run of whitespace becomes one space, trimmed.
   A sentence without a letter or digit (a lone "✔") is dropped.
"""

import re
import unicodedata
from html.parser import HTMLParser

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "button", "select", "textarea", "input", "option"}
    | {"iframe", "video", "audio", "svg", "canvas", "object", "img"}
)
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl", "dt"}
    | {"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"}
    | {"hr", "label", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table"}
    | {"tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# The end of a sentence; the JavaScript copy is SENTENCE_END in readaloud.js.
SENTENCE_END = re.compile(r"[.!?\u2026\u061f]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def sentences_of_segment(raw: str) -> list[str]:
    """The sentences of one segment (rules 3 and 4)."""
    found, start = [], 0
    for match in SENTENCE_END.finditer(raw):
        found.append(raw[start : match.end()])
        start = match.end()
    found.append(raw[start:])
    return [sentence for sentence in map(normalise, found) if _WORD.search(sentence)]


def sentences_of_text(text: str) -> list[str]:
    """Plain text (a feedback or a simulator instruction): a line break ends a segment, like <br>."""
    return [sentence for line in text.splitlines() for sentence in sentences_of_segment(line)]


class _Segments(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self.current: list[str] = []
        self.skip_stack: list[str] = []  # open tags being skipped (their content is not read)

    def _break(self):
        if self.current:
            self.segments.append("".join(self.current))
            self.current = []

    @staticmethod
    def _skipped(tag: str, attrs: list) -> bool:
        names = dict(attrs)
        return (
            tag in SKIP_TAGS
            or "hidden" in names
            or "data-read-aloud-skip" in names
            or (names.get("aria-hidden") or "").strip().lower() == "true"
        )

    def handle_starttag(self, tag, attrs):
        if self.skip_stack:
            if tag not in VOID_TAGS:
                self.skip_stack.append(tag)
            return
        if tag in BLOCK_TAGS:
            self._break()
        if self._skipped(tag, attrs) and tag not in VOID_TAGS:
            self.skip_stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.skip_stack and tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if self.skip_stack:
            # Close the innermost matching tag (HTML written by templates is well-formed).
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            if self.skip_stack:
                return
            if tag in BLOCK_TAGS:
                self._break()
            return
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if not self.skip_stack:
            self.current.append(data)

    def close(self):
        super().close()
        self._break()


def sentences_of_html(html: str) -> list[str]:
    """The sentences the browser reads in an element with this inner HTML (rules 1 to 4)."""
    parser = _Segments()
    parser.feed(html)
    parser.close()
    return [sentence for segment in parser.segments for sentence in sentences_of_segment(segment)]
