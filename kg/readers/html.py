"""HTML pages: the article's paragraphs become the text; meta tags give metadata.

Only text is kept (scripts, styles, navigation and forms are dropped); block
elements become line breaks so paragraphs survive. Offsets then refer to this
extracted text, which is what `Document.text` holds.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from kg.document import Document
from kg.readers.decode import read_text_file
from kg.readers.meta import parse_date
from kg.readers.text import document_from_text

_SKIP = {"script", "style", "noscript", "nav", "footer", "header", "form", "svg", "button", "select", "template", "iframe"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}
_DATE_META = ("article:published_time", "og:published_time", "date", "dc.date", "pubdate", "datepublished")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP:
            self.skip += 1
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
        elif tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(data)


def read_html(path: Path) -> Document:
    raw = read_text_file(path)
    ex = _Extractor()
    ex.feed(raw)
    ex.close()
    text = "".join(ex.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    doc = document_from_text(path.stem, text, str(path))
    m = doc.metadata
    m.title = m.title or (ex.meta.get("og:title") or ex.title).strip() or None
    m.url = m.url or ex.meta.get("og:url") or None
    m.publisher = m.publisher or ex.meta.get("og:site_name") or None
    if m.date is None:
        for key in _DATE_META:
            if key in ex.meta and (iso := parse_date(ex.meta[key])):
                m.date = iso
                break
    return doc
