"""What every email must pass: plain text without Markdown syntax, HTML that parses
without errors, quotation marks that do not nest. Shared by the gallery test and the
tests of single emails."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import html5lib

MARKDOWN_SYNTAX = [
    (re.compile(r"\*\*[^*\n]+\*\*"), "bold with **"),
    (re.compile(r"(?<![\w*])__[^_\n]+__(?!\w)"), "bold with __"),
    (re.compile(r"(?<![\w*])\*[^\s*][^*\n]*\*(?![\w*])"), "emphasis with *"),
    (re.compile(r"^\s{0,3}#{1,6}\s", re.M), "heading with #"),
    (re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"), "link [text](url)"),
    (re.compile(r"^\s*[*+]\s+\S", re.M), "list item with * or +"),
    (re.compile(r"`[^`\n]+`"), "code with `"),
    (re.compile(r"^\s{0,3}>\s", re.M), "quote with >"),
    (re.compile(r"\{[{%]|[%}]\}"), "template syntax"),
]

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def markdown_syntax_in(text: str) -> list[str]:
    """Descriptions of the Markdown (or template) syntax found in a plain text part."""
    return [
        f"{name}: {m.group(0)!r}"
        for pattern, name in MARKDOWN_SYNTAX
        for m in pattern.finditer(text)
    ]


class _TagBalance(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.errors.append(f"end tag of void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]
        else:
            self.stack.pop()


def markup_errors(html: str) -> list[str]:
    """Parse errors of an HTML part: the HTML5 parser's (html5lib) and every element not
    closed where it should be (email clients are less forgiving than browsers)."""
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    errors = [
        f"html5lib: {code} {data or ''} at {position}" for position, code, data in parser.errors
    ]
    balance = _TagBalance()
    balance.feed(html)
    balance.close()
    errors += balance.errors
    errors += [f"<{tag}> never closed" for tag in balance.stack]
    return errors


def quote_nesting(text: str, language: str) -> int:
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
