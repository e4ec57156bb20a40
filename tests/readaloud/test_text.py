"""The sentence rule shared with learn/static/learn/js/readaloud.js (see readaloud/text.py)."""

import pytest

from readaloud.text import normalise, sentences_of_html, sentences_of_segment, sentences_of_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Druk op de knop. Veeg omhoog!", ["Druk op de knop.", "Veeg omhoog!"]),
        ("Kom om 10.30 uur naar www.mechelen.be vandaag.", ["Kom om 10.30 uur naar www.mechelen.be vandaag."]),
        ('Zeg "Nee." Dan stop je.', ['Zeg "Nee."', "Dan stop je."]),
        ("Echt?! Ja… Zeker (toch). Klaar", ["Echt?!", "Ja…", "Zeker (toch).", "Klaar"]),
        ("كيف حالك؟ أنا بخير. شكرا", ["كيف حالك؟", "أنا بخير.", "شكرا"]),
        ("  veel   \n  ruimte.  ", ["veel ruimte."]),
        ("✔ . !", []),
    ],
)
def test_sentences_end_after_punctuation_followed_by_space(text, expected):
    assert sentences_of_segment(text) == expected


def test_text_is_normalised_to_nfc_with_single_spaces():
    assert normalise("Cafe\u0301\t\n  open ") == "Café open"


def test_a_line_break_ends_a_sentence_in_plain_text():
    assert sentences_of_text("Eerste regel\nTweede regel. Derde") == ["Eerste regel", "Tweede regel.", "Derde"]


def test_blocks_and_line_breaks_cut_segments_inline_tags_do_not():
    # A no-break space is whitespace here and in JavaScript's \\s alike.
    html = (
        "<h2>Titel</h2><p>Tik op <b>Volgende</b>. Wacht&nbsp;even</p>"
        "<ul><li>Een</li><li>Twee <a href='#'>link</a></li></ul><p>regel<br>nieuwe regel</p>"
    )
    assert sentences_of_html(html) == [
        "Titel",
        "Tik op Volgende.",
        "Wacht even",
        "Een",
        "Twee link",
        "regel",
        "nieuwe regel",
    ]


def test_hidden_decorative_and_controls_are_not_read():
    html = (
        '<p><span aria-hidden="true">💡</span> Tip</p><p hidden>Verborgen.</p><div data-read-aloud-skip><p>Nee.</p></div>'
        '<button type="button">Lees voor</button><select><option>Optie</option></select><p>Einde</p>'
        "<video><p>Geen video.</p></video><script>var x = 'Nee.';</script>"
    )
    assert sentences_of_html(html) == ["Tip", "Einde"]


def test_entities_are_decoded_like_the_browser_does():
    assert sentences_of_html("<p>Jan &amp; Piet&#39;s fiets. &quot;Ja&quot;</p>") == ["Jan & Piet's fiets.", '"Ja"']
