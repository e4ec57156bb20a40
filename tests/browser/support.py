"""Helpers shared by the browser tests: what the fixtures hand over, axe-core, the request log, focus."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class Question:
    block_id: str
    correct_index: int
    option_count: int
    feedback: str


@dataclass
class LanguageSite:
    """Paths of the demo site in one language, read from the database."""

    home: str
    catalogue: str
    help: str
    module: str
    lesson: str
    lesson_title: str
    not_found: str
    bad_request: str
    search_word: str


@dataclass
class KeyboardTour:
    """A Dutch module walked through by keyboard: its first lesson has a question."""

    module: str
    lessons: list[str]
    titles: list[str]
    question: Question


@dataclass
class DemoSite:
    url: str
    languages: dict[str, LanguageSite] = field(default_factory=dict)
    tour: KeyboardTour | None = None
    # The Arabic translation (same translation_key) of the Dutch lesson in languages["nl"].
    arabic_lesson: str = ""
    arabic_lesson_title: str = ""

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def absolute(self, path: str) -> str:
        return self.url + path if path.startswith("/") else path


class RequestLog:
    """Every URL a tab asked for, to prove the site loads nothing from anywhere but itself."""

    def __init__(self, site: DemoSite):
        self.site = site
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [url for url in self.urls if urlsplit(url).scheme != "http" or urlsplit(url).netloc != self.site.netloc]

    def assert_all_local(self) -> None:
        assert self.urls, "The page made no request at all"
        assert not self.foreign(), f"Requests left the live server {self.site.netloc}: {self.foreign()}"


# Two gaps of axe-core 4.x are closed here rather than left open:
# * text in the same colour as its background (contrast 1:1) is only "needs review", because it may
#   be deliberately hidden; on this site it is always a bug (an invisible button), so it fails;
# * axe mistakes shaped Arabic script for an icon-font ligature and skips its colour contrast, so on a
#   page with Arabic text the contrast rule runs a second time with that text swapped for Latin letters.
AXE_RUN_JS = r"""async (tags) => {
    const found = [];
    const reported = new Set();
    const collect = (results, label) => {
        const invisible = results.incomplete.filter((v) => v.id === 'color-contrast').map((v) => ({
            ...v, id: 'color-contrast (1:1, invisible text)',
            nodes: v.nodes.filter((n) => n.any.some((c) => c.data && c.data.messageKey === 'equalRatio')),
        }));
        for (const v of [...results.violations, ...invisible]) {
            const nodes = v.nodes.filter((n) => !reported.has(`${v.id} ${n.target}`));
            nodes.forEach((n) => reported.add(`${v.id} ${n.target}`));
            if (!nodes.length) continue;
            found.push({
                id: v.id + label, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
            });
        }
    };
    collect(await axe.run(document, {runOnly: {type: 'tag', values: tags}}), '');
    const arabic = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let swapped = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.match(arabic)) {
            node.nodeValue = node.nodeValue.replace(arabic, (word) => 'Oefentekst'.repeat(1 + word.length / 10).slice(0, word.length));
            swapped += 1;
        }
    }
    if (swapped) {
        collect(await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}}), ' [Arabic text as Latin letters]');
    }
    return found;
}"""


def run_axe(page) -> list[dict]:
    """Run axe-core on the current page with the WCAG 2.x A/AA rules and return its violations.

    The page is changed afterwards (Arabic text swapped for Latin letters): run this last.
    """
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS, AXE_TAGS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:240]}")
            lines.extend(f"        {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def stylesheet_rules(page) -> int:
    """How many CSS rules the page loaded: axe on an unstyled page would check the wrong colours."""
    return page.evaluate("() => [...document.styleSheets].reduce((total, sheet) => total + sheet.cssRules.length, 0)")


def html_lang_and_dir(page) -> tuple[str, str]:
    return tuple(page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]"))


ACTIVE_ELEMENT_JS = """() => {
    const e = document.activeElement;
    if (!e) return null;
    const style = getComputedStyle(e);
    return {
        tag: e.tagName.toLowerCase(), id: e.id, classes: [...e.classList], type: e.getAttribute('type'),
        href: e.getAttribute('href'), rel: e.getAttribute('rel'), checked: !!e.checked,
        text: (e.innerText || e.value || '').trim().slice(0, 80),
        outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow,
    };
}"""


def active_element(page) -> dict | None:
    return page.evaluate(ACTIVE_ELEMENT_JS)


def press_until(page, key: str, wanted, *, limit: int = 80) -> dict:
    """Press `key` until the focused element satisfies `wanted`; fail after `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        element = active_element(page)
        if element and wanted(element):
            return element
        seen.append(
            element and f"{element['tag']}#{element['id']}.{'.'.join(element['classes'])} {element['text'][:30]!r}"
        )
    raise AssertionError(f"{limit} presses of {key} never reached the wanted element; focus went through {seen}")


def has_visible_focus(element: dict) -> bool:
    outline = element["outlineStyle"] != "none" and element["outlineWidth"] not in ("0px", "")
    return outline or element["boxShadow"] not in ("none", "")
