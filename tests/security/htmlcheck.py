"""Find markup an attacker's input managed to inject into a page.

Every payload carries ``MARK``. A page is safe when the parser finds no element, attribute
or script that carries the mark where a browser would run it: no ``on*`` handler, no
``javascript:``/``data:``/``vbscript:`` URL, no script, style, SVG, iframe, object, embed,
base or meta element that the input made. Escaped text (``&lt;script&gt;``) is data.
"""

from __future__ import annotations

from html.parser import HTMLParser

MARK = "xss7f3a"
PAYLOADS = [
    f"<script>alert('{MARK}')</script>",
    f'"><script>alert("{MARK}")</script>',
    f"<img src=x onerror=alert('{MARK}')>",
    f"<svg onload=alert('{MARK}')><script>alert('{MARK}')</script></svg>",
    f"<a href=\"javascript:alert('{MARK}')\">click {MARK}</a>",
    f"[click {MARK}](javascript:alert('{MARK}'))",
    f"![{MARK}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"<iframe src=\"data:text/html,<script>alert('{MARK}')</script>\"></iframe>",
    f"' onmouseover='alert(\"{MARK}\")' x='",
    f"<style>body{{background:url('javascript:{MARK}')}}</style>",
    f'<base href="//evil.example/{MARK}/">',
    f'<meta http-equiv=refresh content="0;url=//evil.example/{MARK}">',
]
DANGEROUS_ELEMENTS = {"script", "style", "svg", "iframe", "object", "embed", "base", "meta", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marked = any(MARK in (value or "") or MARK in name for name, value in attrs)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if MARK not in (value or "") and MARK not in name:
                continue
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> handler from input")
            if name in URL_ATTRIBUTES and value.replace(" ", "").startswith(DANGEROUS_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:40]}…> URL from input")
        if tag in DANGEROUS_ELEMENTS and marked:
            self.found.append(f"<{tag}> element from input")
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        current = self._open[-1] if self._open else ""
        if current in DANGEROUS_ELEMENTS and MARK in data:
            self.found.append(f"<{current}> content from input: {data.strip()[:60]}")


def injected(html: str) -> list[str]:
    """What input-made active markup ``html`` holds (empty when the page is safe)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
