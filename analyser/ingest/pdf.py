"""PDF files through pdfplumber: lines joined into paragraphs from their spacing, indentation and
fonts; running headers, footers and page numbers dropped; hyphenation rejoined; tables by row."""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, replace

from ..errors import IngestError
from ..model import Block

MAX_PAGES = 2000
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^\d{1,3}\s*-\s*\d{1,3}$|^-\s*\d{1,4}\s*-$", re.I)
_MARKER = re.compile(r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-z]{1,4}[.)]|\([a-z]{1,4}\)|[A-Z][.)])\s")
_TERMINAL = (".", ";", ":", "?", "!")
# an item's marker with its punctuation ("a.", "(iv)", "3)", "2.1"), not a bare number that may open a sentence
_ITEM = re.compile(r"^(?:\(?[a-z]{1,4}\)|[a-z]{1,4}[.)]|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+|•)\s")
_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlc]{1,4}(?:\s*[-–]\s*\d{1,4})?$|…{2,}\s*\d{1,4}$", re.I)
_EDGE = 0.1  # share of the page height, top and bottom, where running headers and footers sit


@dataclass(frozen=True, slots=True)
class Line:
    """Holds one printed line: its words, where it sits, and its font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    page_height: float = 842.0
    first_word: float = 0.0  # the printed width of the line's first word

    @property
    def height(self) -> float:
        return self.bottom - self.top


def read_pdf(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of a PDF's text layer: one per paragraph, heading or table row."""
    if not data.startswith(b"%PDF"):
        raise IngestError(source, "not a PDF file (no %PDF header)")
    pages, tables = _read_pages(data, source)
    lines = [line for page in pages for line in page]
    if not lines and not any(tables.values()):
        raise IngestError(source, "the PDF has no text layer (a scan?): run OCR on it first, e.g. with ocrmypdf")
    running = _running_lines(pages)
    body_size = _body_size(lines)
    title_size = _title_size(pages, body_size)
    heading_sizes = sorted({round(l.size) for l in lines if l.size >= body_size * 1.15 and round(l.size) != title_size},
                           reverse=True)
    blocks: list[Block] = []
    open_lines: list[Line] = []  # the paragraph being built
    right = _right_margin(lines)
    justified = _justified(lines, right)

    pending_notes: list[str] = []  # footnotes of a page whose last paragraph goes on over the page

    def flush() -> None:
        if open_lines:
            block = _paragraph_block(open_lines, body_size, title_size, heading_sizes)
            blocks.append(replace(block, annotations=tuple(pending_notes)) if pending_notes else block)
            pending_notes.clear()
            open_lines.clear()

    for number, page in enumerate(pages, start=1):
        placed: set[int] = set()
        page = [line for line in page if (_norm(line.text), _zone(line)) not in running
                and not (_zone(line) != "body" and _PAGE_NUMBER.match(line.text))]
        page, notes = _split_footnotes(page, body_size)
        for line in page:
            table = next((i for i, (bbox, _) in enumerate(tables.get(number, ())) if _inside(line, bbox)), None)
            if table is not None:
                if table not in placed:
                    placed.add(table)
                    flush()
                    blocks.extend(_row_blocks(tables[number][table][1], number))
                continue
            if open_lines and _starts_paragraph(open_lines, line, right, body_size, justified):
                flush()
            open_lines.append(line)
        for i, (_, rows) in enumerate(tables.get(number, ())):
            if i not in placed:  # a table with no text line inside its box (all cells read by the table finder)
                flush()
                blocks.extend(_row_blocks(rows, number))
        if notes and (open_lines or not blocks):
            pending_notes.extend(notes)
        elif notes:
            blocks[-1] = replace(blocks[-1], annotations=blocks[-1].annotations + tuple(notes))
    flush()
    return _rejoin_hyphens(blocks)


def _split_footnotes(page: list[Line], body_size: float) -> tuple[list[Line], list[str]]:
    """Returns a page's lines less its footnotes (small print below the last body-size line), and
    the footnotes, each opening with its mark ("1 See the Code…")."""
    normal = [i for i, line in enumerate(page) if line.size > body_size * 0.85]
    if not normal:
        return page, []
    last = normal[-1]
    small = page[last + 1:]
    if not small or any(line.top < line.page_height / 2 for line in small):
        return page, []
    notes: list[str] = []
    for line in small:
        if not notes or re.match(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])\s*\S", line.text):
            notes.append(line.text)
        else:
            notes[-1] = f"{notes[-1]} {line.text}"
    return page[:last + 1], [f"Footnote {note}" for note in notes]


def _read_pages(data: bytes, source: str) -> tuple[list[list[Line]], dict[int, list]]:
    import pdfplumber  # pdfplumber stays inside this module

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        name = type(e).__name__
        if "Password" in name or "Password" in repr(e.args) or "encrypt" in str(e).lower():  # pdfplumber wraps pdfminer
            raise IngestError(source, "the PDF is encrypted: save an unprotected copy and try again") from e
        raise IngestError(source, f"corrupt or unreadable PDF ({name})") from e
    pages: list[list[Line]] = []
    tables: dict[int, list] = {}
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as e:
            raise IngestError(source, f"corrupt or unreadable PDF ({type(e).__name__})") from e
        if count > MAX_PAGES:
            raise IngestError(source, f"the PDF has {count} pages, more than the limit of {MAX_PAGES}")
        for number, page in enumerate(pdf.pages, start=1):
            try:
                found = [(t.bbox, t.extract()) for t in page.find_tables()]
                raw = page.extract_text_lines(return_chars=True, strip=True)
            except Exception as e:
                raise IngestError(source, f"page {number} cannot be read ({type(e).__name__})") from e
            tables[number] = [(bbox, rows) for bbox, rows in found if rows and len(rows[0] or ()) > 1]
            pages.append([line for line in (_line(r, number, page.height) for r in raw) if line is not None])
    return pages, tables


def _line(raw: dict, page: int, height: float) -> Line | None:
    chars = [c for c in raw.get("chars", ()) if c.get("text", "").strip()]
    text = _clean(raw.get("text", ""))
    if not chars or not text:
        return None
    text = _split_number(text, chars)
    # the first word, less any contents leader dots run on to it ("Page......")
    letters = len(re.sub(r"(?:\.{3,}|…+).*$", "", text.split(" ", 1)[0])) or 1
    first_word = chars[min(letters, len(chars)) - 1]["x1"] - chars[0]["x0"]
    sizes = Counter(round(c.get("size", 0), 1) for c in chars)
    bold = sum(1 for c in chars if re.search(r"bold|black|heavy", c.get("fontname", ""), re.I))
    line = Line(text=text, x0=raw["x0"], x1=raw["x1"], top=raw["top"], bottom=raw["bottom"],
                size=sizes.most_common(1)[0][0], bold=bold > len(chars) * 0.8, page=page, page_height=height, first_word=first_word)
    return line


def _split_number(text: str, chars: list[dict]) -> str:
    """Returns the text with a space after a leading number that a tab set apart ("10.0Public" → "10.0 Public")."""
    m = re.match(r"\(?\d{1,3}(?:\.\d{1,3})*[.)]?(?=[A-Za-z(])", text)
    if m and len(chars) > m.end() and chars[m.end()]["x0"] - chars[m.end() - 1]["x1"] > 0.3:
        return text[:m.end()] + " " + text[m.end():]
    return text


def _clean(text: str) -> str:
    """Returns a line's text with symbol-font bullets made plain and private-use glyphs dropped."""
    text = text.replace("\u00a0", " ")
    # a soft hyphen shows only at a line end, where it always joins the word (kept as the mark)
    text = re.sub(r"\u00ad(?!\s*$)", "", text)
    text = re.sub(r"^[\ue000-\uf8ff]\s*", "• ", text.strip())
    text = re.sub(r"[\ue000-\uf8ff]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _zone(line: Line) -> str:
    if line.bottom < line.page_height * _EDGE:
        return "top"
    if line.top > line.page_height * (1 - _EDGE):
        return "bottom"
    return "body"


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(pages: list[list[Line]]) -> set[tuple[str, str]]:
    """Returns the lines that recur at the top or bottom of many pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({(_norm(l.text), _zone(l)) for l in page if _zone(l) != "body"})
    return {key for key, n in counts.items() if n >= max(2, len(pages) // 2)}


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 11.0


def _title_size(pages: list[list[Line]], body_size: float) -> int | None:
    """Returns the font size used only on the first page, above the body text: the title's."""
    if not pages or not pages[0]:
        return None
    largest = max(round(l.size) for l in pages[0])
    later = any(round(l.size) >= largest for page in pages[1:] for l in page)
    return largest if largest >= body_size * 1.5 and not later else None


def _right_margin(lines: list[Line]) -> float:
    """Returns where full lines end: most lines of a justified or ragged paragraph reach near it."""
    ends = sorted(l.x1 for l in lines if _zone(l) == "body")
    return ends[int(len(ends) * 0.95)] if ends else 0.0


def _inside(line: Line, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle = (line.top + line.bottom) / 2
    return top - 1 <= middle <= bottom + 1 and line.x0 >= x0 - 2 and line.x1 <= x1 + 2


def _font(line: Line, body_size: float) -> tuple[int, bool]:
    return (round(line.size) if line.size >= body_size * 1.15 else 0, line.bold)


def _justified(lines: list[Line], right: float) -> bool:
    """Whether the text is set justified: many lines end exactly at the right margin."""
    body = [l for l in lines if _zone(l) == "body"]
    return bool(body) and sum(abs(l.x1 - right) <= 1.5 for l in body) >= 0.4 * len(body)


def _starts_paragraph(lines: list[Line], line: Line, right: float, body_size: float, justified: bool = False) -> bool:
    """Whether a line begins a new paragraph rather than continuing the one above."""
    previous = lines[-1]
    if line.text.startswith("•"):
        return True
    if _font(line, body_size) != _font(previous, body_size):
        return True
    # a line that stopped short although the next word would have fitted was ended by hand
    ended = _next_word_fits(previous, line, right) or (
        justified and previous.text.endswith(_TERMINAL) and previous.x1 < right - 3)  # only a last line stops short
    if line.page != previous.page:  # over a page break there is no spacing to go by
        return ended or previous.text.endswith(_TERMINAL) and not line.text[:1].islower()
    gap = line.top - previous.bottom
    if gap > 0.45 * max(previous.height, line.height, 1.0):
        return True
    if len(lines) >= 2 and line.x0 < lines[-1].x0 - 3 and lines[-1].x0 <= lines[-2].x0 + 3:
        return True  # back out past the paragraph's own wrap indent: a new hanging paragraph
    if _LEADER.search(previous.text):
        return True  # a contents entry: its dots run to the margin, so it always looks full
    marker = _MARKER.match(line.text)
    if marker and previous.text.endswith(_TERMINAL) and _ITEM.match(line.text):
        return True  # "…they should:" then "a. indicate…"
    if marker and line.x0 <= lines[0].x0 + 3:
        # an item set where the paragraph's own item began, beside a sibling ("1.2.5 …" then "1.2.6 …")
        sibling = _MARKER.match(lines[0].text)
        if sibling and _shape(sibling.group(0)) == _shape(marker.group(0)):
            return True
    return ended


def _shape(marker: str) -> str:
    """Returns a list marker's form: '1.1' and '2.3' share one, '(a)' and '1.1' do not."""
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "1", marker.strip().lower()))


def _next_word_fits(previous: Line, line: Line, right: float) -> bool:
    """Whether the first word of a line would have fitted at the end of the line before it."""
    return previous.x1 + 0.25 * line.size + line.first_word < right - 1


def _paragraph_block(lines: list[Line], body_size: float, title_size: int | None, heading_sizes: list[int]) -> Block:
    text = " \n".join(l.text for l in lines)  # the newline marks where a hyphen might need rejoining
    size = round(lines[0].size)
    page = lines[0].page
    if title_size is not None and size == title_size:
        return Block(text=text, kind="title", level=0, page=page, style=f"{size}pt")
    if size in heading_sizes:
        return Block(text=text, kind="heading", level=heading_sizes.index(size) + 1, page=page, style=f"{size}pt")
    if all(l.bold for l in lines) and len(lines) == 1 and not text.endswith(_TERMINAL):
        return Block(text=text, kind="heading", page=page, style="bold")
    return Block(text=text, page=page)


def _row_blocks(rows: list[list[str | None]], page: int) -> list[Block]:
    blocks = []
    for row in rows:
        cells: list[str] = []
        for cell in row:
            value = _clean(re.sub(r"\s*\n\s*", " ", cell or ""))
            if value and (not cells or cells[-1] != value):
                cells.append(value)
        if cells:
            blocks.append(Block(text=" | ".join(cells), kind="row" if len(cells) > 1 else "paragraph", page=page))
    return blocks


def _rejoin_hyphens(blocks: list[Block]) -> tuple[Block, ...]:
    """Returns the blocks with lines joined; a hyphen at a line end is dropped only where the document
    itself spells the joined word without it elsewhere (a printed hyphen is otherwise real: "non-elected")."""
    elsewhere = " ".join(re.sub(r"\w+- \n\w+", " ", b.text.lower()) for b in blocks)
    words = set(re.findall(r"[\w-]+", elsewhere))

    def join(m: re.Match) -> str:
        hyphenated, whole = f"{m.group(1)}-{m.group(2)}", m.group(1) + m.group(2)
        return whole if whole.lower() in words and hyphenated.lower() not in words else hyphenated

    out = []
    for b in blocks:
        text = re.sub(r"\u00ad \n", "", b.text)
        text = re.sub(r"(\w+)- \n(\w+)", join, text) if "- \n" in text else text
        out.append(replace(b, text=text.replace(" \n", " ")))
    return tuple(out)
