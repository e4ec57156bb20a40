"""guard.js (in the browser) and sandboxes/guard.py give the same answer for the same text.

The browser guard runs in Node here, without a browser: both are fed the same real-looking and
almost-real numbers, and must agree on each. Skipped where Node is not installed.
"""

import json
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from sandboxes.guard import national_number_example, sensitive_kind

GUARD_JS = Path(settings.BASE_DIR) / "sandboxes" / "static" / "sandboxes" / "js" / "guard.js"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
RUN_JS = """
global.window = {};
require(process.argv[1]);
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(texts.map((text) => window.OefenpleinGuard(text))));
"""


def _luhn_completed(body: str) -> str:
    for last in "0123456789":
        if sensitive_kind(body + last) == "card":
            return body + last
    raise AssertionError(body)


def _samples() -> list[str]:
    generator = random.Random(20261126)
    samples = [
        "",
        "12345",
        "0470 00 12 34",
        "Maria Janssens",
        "BE71 0961 2345 6769",
        "be71096123456769",
        "BE71 0961 2345 6768",
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "GB82 WEST 1234 5698 7654 32",
        "4111 1111 1111 1111",
        "4111-1111-1111-1112",
        "4000 1234 5678 9011",
        "1111 1111 1111 1111",
        "0000000000000",
        "my card: 5555 5555 5555 4444, thanks",
        "iban BE71096123456769.",
        "14/03/1956",
        "1956-03-14",
        # Typed on an Arabic keyboard: Arabic-Indic and Eastern Arabic/Persian digits.
        "BE71 0961 2345 6769".translate(ARABIC_INDIC),
        "BE71 0961 2345 6768".translate(PERSIAN),
        "4111 1111 1111 1111".translate(ARABIC_INDIC),
        "4111 1111 1111 1112".translate(PERSIAN),
        "٠٤٧٠ ٠٠ ١٢ ٣٤",
    ]
    for _ in range(40):
        born = date(generator.randint(1930, 2024), generator.randint(1, 12), generator.randint(1, 28))
        number = national_number_example(born, generator.randint(1, 997))
        samples += [number, f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"]
        samples.append(number[:-1] + str((int(number[-1]) + 1) % 10))
        samples.append(number.translate(ARABIC_INDIC if len(samples) % 2 else PERSIAN))
        samples.append(_luhn_completed("".join(str(generator.randint(0, 9)) for _ in range(15))))
        samples.append("".join(str(generator.randint(0, 9)) for _ in range(generator.randint(11, 19))))
    return samples


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_browser_guard_agrees_with_the_python_guard():
    samples = _samples()
    output = subprocess.run(
        ["node", "-e", RUN_JS, str(GUARD_JS)],
        input=json.dumps(samples),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    browser = json.loads(output)
    differences = [
        (text, python, js)
        for text, python, js in zip(samples, map(sensitive_kind, samples), browser, strict=True)
        if python != js
    ]
    assert not differences, differences
    arabic = [kind for text, kind in zip(samples, browser, strict=True) if not text.isascii()]
    assert {"national_number", "iban", "card", None} <= set(arabic)
    kinds = set(map(sensitive_kind, samples))
    assert {"national_number", "iban", "card", None} <= kinds
