"""The confirmation emails as a reader sees them: no Markdown syntax, quotes that do not
nest, dates and file names in the reader's language."""

import re

import pytest
from django.core import mail

from outbox import deliver_outbox

MARKDOWN_SYNTAX = re.compile(r"\*\*|__|(?<!\w)\*\w|^#{1,6} |\]\(|^\s*[-*] \S.*\*\*", re.M)


def nesting_depth(text: str, language: str) -> int:
    """The deepest nesting of double quotation marks („…“ in German, “…” in English)."""
    opening, closing = ("„", "“") if language == "de" else ("“", "”")
    depth = deepest = 0
    for char in text:
        if char == opening:
            depth += 1
            deepest = max(deepest, depth)
        elif char == closing:
            depth = max(depth - 1, 0)
    return deepest


@pytest.fixture
def delivered(confirmed_registration):
    def confirm(language):
        confirmed_registration("erika@example.org", language=language)
        deliver_outbox()
        return mail.outbox[-1]

    return confirm


def parts(message) -> tuple[str, str]:
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return message.body, html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_confirmation_shows_no_markdown_syntax(delivered, language):
    text, html = parts(delivered(language))

    assert "**" not in text and "**" not in html
    assert not MARKDOWN_SYNTAX.search(text)
    bold = {
        "de": "Bitte bringen Sie einen amtlichen Lichtbildausweis mit",
        "en": "Please bring an official photo ID",
    }
    assert bold[language] in text
    assert f"<strong>{bold[language]}</strong>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_confirmation_quotes_do_not_nest(delivered, language):
    message = delivered(language)
    text, html = parts(message)

    for part in (message.subject, text, html):
        assert nesting_depth(part, language) <= 1, part
    inner = {"de": "‚Modellkommune E-Government‘", "en": "‘Modellkommune E-Government’"}
    assert inner[language] in text


@pytest.mark.django_db
def test_english_confirmation_writes_the_date_the_english_way(delivered):
    text, html = parts(delivered("en"))

    assert "Thursday, 22 September 2016" in text
    assert "Thursday, 22 September 2016" in html
    assert "22. September" not in text + html


@pytest.mark.django_db
def test_german_confirmation_writes_the_date_the_german_way(delivered):
    text, _html = parts(delivered("de"))

    assert "Donnerstag, 22. September 2016" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,calendar,code_prefix",
    [("de", "veranstaltung.ics", "einlasscode-"), ("en", "event.ics", "entry-code-")],
)
def test_attachment_names_follow_the_reader(delivered, language, calendar, code_prefix):
    message = delivered(language)

    names = [attachment[0] for attachment in message.attachments]
    assert names[0] == calendar
    assert names[1].startswith(code_prefix) and names[1].endswith(".png")
