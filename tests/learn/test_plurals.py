"""Counted phrases use plural forms; Arabic has all six (zero, one, two, few, many, other)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

AR_PO = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"
COUNTS = (0, 1, 2, 3, 11, 100)


def practised(count: int) -> str:
    with translation.override("ar"):
        return Template(
            "{% load i18n %}{% blocktranslate count attempts=n %}You practised {{ attempts }} time."
            "{% plural %}You practised {{ attempts }} times.{% endblocktranslate %}"
        ).render(Context({"n": count}))


def test_arabic_counted_phrase_takes_the_right_form_for_each_number():
    zero, one, two, few, many, hundred = (practised(count) for count in COUNTS)
    assert zero == "لم تتدرّب بعد."
    assert one == "تدرّبت مرة واحدة."
    assert two == "تدرّبت مرتين."  # the dual says "two" itself: never "2 مرتين"
    assert few == "تدرّبت 3 مرات."
    assert many == "تدرّبت 11 مرة." and hundred == "تدرّبت 100 مرة."
    assert len({zero, one, two, few}) == 4


def test_arabic_uses_six_plural_forms_and_each_is_filled():
    with translation.override("ar"):
        forms = [ngettext("%(counter)s help point", "%(counter)s help points", n) % {"counter": n} for n in COUNTS]
    assert forms[0] == "لا توجد نقاط مساعدة" and forms[1] == "نقطة مساعدة واحدة" and forms[2] == "نقطتا مساعدة"
    assert forms[3] == "3 نقاط مساعدة" and "11" in forms[4] and "100" in forms[5]
    po = polib.pofile(str(AR_PO))
    assert "nplurals=6" in po.metadata["Plural-Forms"]
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == list(range(6)), entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("dual", ["مرتين", "دقيقتين", "بطاقتان", "يومان", "شخصان", "وحدتان"])
def test_no_arabic_dual_follows_a_number(dual):
    """ "2 دقيقتين" is not Arabic: the dual form already says two."""
    po = polib.pofile(str(AR_PO))
    wrong = [e.msgid for e in po if e.msgid_plural and re.search(r"%\(\w+\)s " + dual, e.msgstr_plural.get(2, ""))]
    assert not wrong
