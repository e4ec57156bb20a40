"""The results files, and the figures and formatters every report shares.

Each script owns some `## ` sections of bench/RESULTS.md (or a file of its own) and replaces only those:
every other section, and the file's title and introduction, stay byte for byte as they were.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from harness.frame import BENCH_DIR

RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_TITLE = "# Benchmark results\n"  # the start of a results file that does not exist yet
NOISY_REST_PCT = 20  # CPU (% of a core) used by others and the kernel in a window before a report warns


# --- "## " sections --------------------------------------------------------------------------------


def _section_pattern(heading: str) -> re.Pattern:
    """A section: its heading line up to the next "## " heading (not "### ") or the end of the file."""
    return re.compile(rf"^{re.escape(heading)}(?:\n|\Z).*?(?=^## |\Z)", re.S | re.M)


def _section_put(text: str, section: str, after: str | None = None) -> str:
    """`text` with `section` in place of the section of the same heading.

    A section not there yet goes right after the section headed `after` when that one is there (so one
    script's sections stay together), else at the end. Sections are kept one blank line apart.
    """
    body = section.strip("\n")
    match = _section_pattern(body.split("\n", 1)[0]).search(text)
    if match:
        start, end = match.span()
    else:
        previous = _section_pattern(after).search(text) if after else None
        start = end = previous.end() if previous else len(text)
    head, rest = text[:start], text[end:]
    if not rest:  # last in the file: one blank line after what comes before it
        head = head.rstrip("\n") + "\n\n" if head.strip() else ""
    return head + body + ("\n\n" + rest if rest else "\n")


def write_section(path: Path, section: str) -> None:
    """Replace the section of `path` headed by the first line of `section`, or append it.

    Every other section, and the title and introduction before the first "## ", stay as they were.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_TITLE
    path.write_text(_section_put(text, section), encoding="utf-8")


def sections_split(document: str) -> tuple[str, list[str]]:
    """A markdown document as (what comes before the first "## " heading, its "## " sections)."""
    parts = re.split(r"^(?=## )", document, flags=re.M)
    return parts[0], parts[1:]


def write_sections(path: Path, document: str) -> None:
    """Put every "## " section of `document` into `path` as `write_section` does, in their order.

    The title and introduction of `document` (before its first "## ") are written only when `path` has none:
    an existing introduction stays as it is.
    """
    preamble, sections = sections_split(document)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not sections_split(text)[0].strip():
        text = preamble.rstrip("\n") + "\n\n" + text.lstrip("\n") if text.strip() else preamble
    previous = None
    for section in sections:
        text = _section_put(text, section, after=previous)
        previous = section.split("\n", 1)[0]
    path.write_text(text, encoding="utf-8")


# --- Figures and formatters -----------------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def verdict(ok: bool, missed: str = "**MISSED**") -> str:
    """A target's verdict cell; `missed` is how the report has always spelled a miss."""
    return "**met**" if ok else missed


def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def shared_machine_warning(windows: dict[str, dict], advice: str) -> list[str]:
    """The warning lines (none on a quiet machine) for the windows, {label: CpuMeter figures}, in which
    others used more than NOISY_REST_PCT of a core; `advice` ends the sentence."""
    noisy = [label for label, cpu in windows.items() if cpu["rest"] > NOISY_REST_PCT]
    if not noisy:
        return []
    return [
        "",
        f"**Warning: the machine was shared.** Other processes used more than {NOISY_REST_PCT}% of a core during: "
        f"{', '.join(noisy)}. Those figures understate what the site can do on a quiet machine; {advice}",
    ]


def cpu_row(label: str, c: dict) -> str:
    """One row of a "where the CPU went" table (see harness.cpu.CpuMeter)."""
    rest = f"{c['rest']:.0f}%" + (f" ({c['top_others']})" if c["top_others"] else "")
    return (
        f"| {label} | {c['gunicorn']:.0f}% | {c['postgresql']:.0f}% | {c['redis']:.0f}% | "
        f"{c['loadgen']:.0f}% | {rest} | {c['machine']:.0f}% |"
    )
