import pytest

from eventsite.markup import markdown_to_html, markdown_to_text, quoted


def test_markdown_to_text_drops_the_syntax_and_keeps_the_structure():
    text = markdown_to_text(
        "Das ist **fett** und *kursiv*.\nZweite Zeile.\n\n## Anreise\n\n"
        "- eins\n- zwei mit [Link](https://example.org/a)\n\n1. erstens\n2. zweitens\n\n"
        "Schreiben Sie an [veranstaltung@example.org](mailto:veranstaltung@example.org)."
    )

    assert text == (
        "Das ist fett und kursiv.\nZweite Zeile.\n\nAnreise\n\n"
        "– eins\n– zwei mit Link (https://example.org/a)\n\n1. erstens\n2. zweitens\n\n"
        "Schreiben Sie an veranstaltung@example.org."
    )


def test_markdown_to_text_keeps_ampersands_and_drops_html():
    assert markdown_to_text("Rampe & Aufzug <script>alert(1)</script>") == "Rampe & Aufzug"


def test_markdown_to_html_is_sanitised():
    html = markdown_to_html('**a** <img src=x onerror="alert(1)"> [b](javascript:alert(1))')

    assert "<strong>a</strong>" in html
    assert "<img" not in html and "javascript:" not in html


@pytest.mark.parametrize(
    "language,title,expected",
    [
        (
            "de",
            "Pilotvorhaben „Modellkommune E-Government“",
            "„Pilotvorhaben ‚Modellkommune E-Government‘“",
        ),
        (
            "en",
            "pilot project “Modellkommune E-Government”",
            "“pilot project ‘Modellkommune E-Government’”",
        ),
        (
            "en",
            "Pilotvorhaben „Modellkommune E-Government“",
            "“Pilotvorhaben ‘Modellkommune E-Government’”",
        ),
        ("de", 'the "model" day', "„the ‚model‘ day“"),
        ("de", "Ohne Anführungszeichen", "„Ohne Anführungszeichen“"),
    ],
)
def test_quoted_never_nests_double_quotes(language, title, expected):
    assert quoted(title, language) == expected
