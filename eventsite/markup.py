"""Organiser-written Markdown for web pages and emails, and quotation marks.

Page texts (and event fields such as the entry note) are Markdown. Web pages and the HTML
part of an email get sanitised HTML; the plain text part of an email gets the same text
with the Markdown syntax turned into what a reader of plain text expects: no asterisks,
list items on lines of their own, links with their address in brackets.
"""

from __future__ import annotations

from html.parser import HTMLParser

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "abbr",
    "blockquote",
    "code",
    "hr",
    "address",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang"}, "abbr": {"title"}}

# Double quotes and the single quotes that replace them inside a quotation.
QUOTES = {
    "de": {"double": ("„", "“"), "single": ("‚", "‘")},
    "en": {"double": ("“", "”"), "single": ("‘", "’")},
}


def markdown_to_html(text: str) -> str:
    """Sanitised HTML of organiser-written Markdown (nh3 keeps only plain text markup).

    A line break in the admin's text box stays a line break (nl2br): organisers type
    addresses line by line, and Leichte Sprache puts every sentence on its own line."""
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", "nl2br"], output_format="html"
    )
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def markdown_to_text(text: str) -> str:
    """Plain text of organiser-written Markdown, without any Markdown syntax."""
    converter = _PlainText()
    converter.feed(markdown_to_html(text))
    converter.close()
    return converter.result()


_BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "hr", "address"}


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # one [kind, number] per open list
        self.links: list[str | None] = []
        self.link_start: list[int] = []

    def _end_block(self):
        block = "".join(self.current).strip()
        if block:
            self.blocks.append("\n".join(line.strip() for line in block.split("\n")))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS and not (tag in ("ul", "ol") and self.lists):
            self._end_block()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.current and "".join(self.current).strip():
                self.current.append("\n")
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            indent = "  " * max(len(self.lists) - 1, 0)
            self.current.append(f"{indent}{kind[1]}. " if kind[0] == "ol" else f"{indent}– ")
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_start.append(len(self.current))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._end_block()
        elif tag == "a" and self.links:
            href = self.links.pop()
            label = "".join(self.current[self.link_start.pop() :]).strip()
            if href and href != label and href.removeprefix("mailto:") != label:
                self.current.append(f" ({href.removeprefix('mailto:')})")
        elif tag in _BLOCKS:
            self._end_block()

    def handle_data(self, data):
        # Inside a paragraph, HTML whitespace (also a source line break) is one space.
        self.current.append(" ".join(data.split("\n")) if data.strip() or self.current else "")

    def result(self) -> str:
        self._end_block()
        return "\n\n".join(self.blocks)


def quoted(text: str, language: str) -> str:
    """`text` in the double quotation marks of `language`; quotation marks inside it
    become single ones, so quotes never nest („… ‚…‘“, “… ‘…’”).

    The inner text may use German („…“), English (“…”) or straight ("…") quotes: „ always
    opens, ” always closes, and “ and " open when no quote is open and close otherwise."""
    marks = QUOTES.get(str(language)[:2], QUOTES["de"])
    inner_open, inner_close = marks["single"]
    out = []
    is_open = False
    for char in str(text):
        if char == "„" or (char in '“"' and not is_open):
            out.append(inner_open)
            is_open = True
        elif char == "”" or (char in '“"' and is_open):
            out.append(inner_close)
            is_open = False
        else:
            out.append(char)
    outer_open, outer_close = marks["double"]
    return f"{outer_open}{''.join(out)}{outer_close}"
