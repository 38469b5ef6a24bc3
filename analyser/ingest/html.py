"""HTML pages (a protocol published on a council's website): headings, paragraphs, list items
with the numbers the browser would show, and table rows; scripts, navigation and footers left out."""
from __future__ import annotations

import re

from ..errors import IngestError
from ..model import Block
from .text import decode
from .word_numbering import format_number

_BLOCKS = {"p", "li", "dt", "dd", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div", "section",
           "article", "main", "body", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "td", "th", "caption",
           "figure", "address", "center"}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form", "button", "select", "head"}
_OL_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def read_html(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of an HTML page: one per heading, paragraph, list item and table row."""
    import lxml.html  # lxml stays inside the readers

    text = decode(data, source)
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    except Exception as e:  # lxml raises ParserError for pages with no markup it can use
        raise IngestError(source, f"unreadable HTML ({type(e).__name__})") from e
    for element in list(root.iter(*_SKIP)):
        element.drop_tree()
    blocks: list[Block] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "tr":
            cells = [_words(c) for c in element if isinstance(c.tag, str) and c.tag in ("td", "th")]
            cells = [c for c in cells if c]
            if cells:
                blocks.append(Block(text=" | ".join(cells), kind="row" if len(cells) > 1 else "paragraph"))
            continue
        if tag not in _BLOCKS or _inside_row(element):
            continue
        words = _own_words(element)
        if not words:
            continue
        if re.fullmatch(r"h[1-6]", tag):
            blocks.append(Block(text=words, kind="heading", level=int(tag[1]), style=tag))
        elif tag == "li":
            number, depth = _list_number(element)
            blocks.append(Block(text=words, number=number, level=depth, style="li"))
        else:
            blocks.append(Block(text=words, style=tag))
    return tuple(blocks)


def _words(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _own_words(element) -> str:
    """Returns the words of an element that are not inside a block of their own."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append(" ")
        elif tag not in _BLOCKS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _inside_row(element) -> bool:
    return any(isinstance(a.tag, str) and a.tag == "tr" for a in element.iterancestors())


def _list_number(item) -> tuple[str | None, int]:
    """Returns the number a browser shows before a list item, and how deep its list is nested."""
    parent = item.getparent()
    depth = sum(1 for a in item.iterancestors() if isinstance(a.tag, str) and a.tag in ("ol", "ul")) - 1
    if parent is None or parent.tag != "ol":
        return "•", max(depth, 0)
    start = int(parent.get("start", "1")) if parent.get("start", "1").lstrip("-").isdigit() else 1
    position = start
    for sibling in parent:
        if sibling is item:
            break
        if isinstance(sibling.tag, str) and sibling.tag == "li":
            position = int(sibling.get("value")) + 1 if (sibling.get("value") or "").isdigit() else position + 1
    if (item.get("value") or "").isdigit():
        position = int(item.get("value"))
    fmt = _OL_FORMATS.get(parent.get("type", "1"), "decimal")
    return f"{format_number(position, fmt)}.", max(depth, 0)
