"""Reading rendered pages in tests."""

from lxml import html as lxml_html

# <script> types a browser treats as data, never runs, and a CSP does not check.
DATA_BLOCK_TYPES = {"application/ld+json"}


def executable_scripts(page_html: str) -> list[str]:
    """The <script> elements a browser would run (anything but a data block)."""
    document = lxml_html.fromstring(page_html)
    return [
        lxml_html.tostring(script, encoding="unicode")[:80]
        for script in document.iter("script")
        if (script.get("type") or "").strip().lower() not in DATA_BLOCK_TYPES
    ]
