"""Word (.docx) files: paragraphs with their styles and displayed numbers, tables as rows,
tracked changes resolved both ways, comments and footnotes kept as annotations."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import IngestError
from ..model import Block
from .word_numbering import W, Numbering, read_numbering

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# containers whose runs are part of the paragraph's text
_INLINE = {"hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml", "dir", "bdo"}
_INSERTED = {"ins", "moveTo"}
_DELETED = {"del", "moveFrom"}


@dataclass(frozen=True, slots=True)
class Style:
    """Holds what a paragraph style passes on: its name, parent, list membership and outline level."""

    name: str
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


@dataclass(slots=True)
class Text:
    """Collects a paragraph's words as they stand now and as they stood before the tracked changes."""

    current: list[str] = field(default_factory=list)
    original: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    def add(self, text: str, inserted: bool, deleted: bool) -> None:
        if not deleted:
            self.current.append(text)
        if not inserted:
            self.original.append(text)


@dataclass(slots=True)
class Package:
    """Holds the parts a paragraph's reading depends on: styles, lists, comments and footnotes."""

    styles: dict[str, Style]
    numbering: Numbering
    comments: dict[str, str]
    footnotes: dict[str, str]
    default_style: str | None = None
    footnote_order: dict[str, int] = field(default_factory=dict)
    used_comments: set[str] = field(default_factory=set)


def read_word(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of a .docx file: headings from styles and outline levels, Word's own list
    numbers in `number`, one block per table row, tracked changes accepted in `text` and rejected in
    `original`, comments and footnotes as annotations; running headers and footers left out."""
    import docx  # python-docx stays inside this module

    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file, not a zip package
        raise IngestError(source, "an old Word 97-2003 .doc or a password-protected .docx: save it from Word as an unprotected .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK"):
            raise IngestError(source, "corrupt or truncated .docx (the zip package is incomplete): download or copy it again")
        if data.lstrip()[:1] in (b"<",) or _mostly_text(data):
            raise IngestError(source, "this .docx is really a text file (not a Word zip package): save it as .txt or re-save it from Word")
        raise IngestError(source, "not a Word .docx file (it is not a zip package): is it an old .doc, or a damaged or truncated copy?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as e:
        raise IngestError(source, f"corrupt or truncated .docx ({e})") from e
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise IngestError(source, "a zip file but not a Word document (it has no word/document.xml)")
    try:
        document = docx.Document(io.BytesIO(data))
        package = _package(document)
    except zipfile.BadZipFile as e:
        raise IngestError(source, f"corrupt or truncated .docx ({e})") from e
    except KeyError as e:
        raise IngestError(source, f"corrupt .docx: a required part is missing ({e})") from e
    except Exception as e:  # python-docx and lxml raise several unrelated types for broken packages
        raise IngestError(source, f"corrupt or unreadable .docx ({type(e).__name__}: {e})") from e
    blocks: list[Block] = []
    _read_container(document.element.body, package, blocks)
    return tuple(blocks)


def _mostly_text(data: bytes) -> bool:
    head = data[:2000]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(head.strip())


def _package(document) -> Package:
    from lxml import etree

    parts: dict[str, object] = {}
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("styles", "numbering", "comments", "footnotes"):
            parts[kind] = etree.fromstring(rel.target_part.blob)
    styles, default = _styles(parts.get("styles"))
    numbering = read_numbering(parts.get("numbering"))
    numbering.resolve_style_links({sid: s.num_id for sid, s in styles.items() if s.num_id})
    return Package(styles=styles, numbering=numbering,
                   comments=_notes(parts.get("comments"), "comment"), footnotes=_notes(parts.get("footnotes"), "footnote"),
                   default_style=default)


def _styles(root) -> tuple[dict[str, Style], str | None]:
    styles: dict[str, Style] = {}
    default = None
    if root is None:
        return styles, default
    for style in root.iter(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        style_id = style.get(W + "styleId", "")
        name = _val(style, "name") or style_id
        ppr = style.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        ilvl = _val(num_pr, "ilvl")
        outline = _val(ppr, "outlineLvl")
        styles[style_id] = Style(name=name, based_on=_val(style, "basedOn"), num_id=_val(num_pr, "numId"),
                                 ilvl=int(ilvl) if ilvl and ilvl.isdigit() else None,
                                 outline=int(outline) if outline and outline.isdigit() else None)
        if style.get(W + "default") in ("1", "true"):
            default = style_id
    return styles, default


def _notes(root, tag: str) -> dict[str, str]:
    """Returns comment or footnote texts by id (separators left out)."""
    notes: dict[str, str] = {}
    if root is None:
        return notes
    for note in root.iter(W + tag):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = Text()
        for p in note.iter(W + "p"):
            _walk(p, text, None, False, False)
            text.current.append(" ")
        words = re.sub(r"\s+", " ", "".join(text.current)).strip()
        if tag == "comment":
            who = note.get(W + "initials") or note.get(W + "author") or ""
            words = f"Comment [{who}{note.get(W + 'id', '')}]: {words}" if who else f"Comment: {words}"
        notes[note.get(W + "id", "")] = words
    return notes


def _val(element, name: str) -> str | None:
    child = element.find(W + name) if element is not None else None
    return child.get(W + "val") if child is not None else None


def _read_container(container, package: Package, blocks: list[Block]) -> None:
    for child in container.iterchildren():
        tag = _tag(child)
        if tag == "p":
            blocks.extend(_paragraph_blocks(child, package))
        elif tag == "tbl":
            blocks.extend(_table_blocks(child, package))
        elif tag in ("sdt", "sdtContent", "customXml"):
            _read_container(child, package, blocks)


def _tag(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _style_chain(style_id: str | None, package: Package):
    seen = set()
    while style_id and style_id in package.styles and style_id not in seen:
        seen.add(style_id)
        yield package.styles[style_id]
        style_id = package.styles[style_id].based_on


def _paragraph(p, package: Package) -> tuple[Text, str, str | None, int | None, int | None]:
    """Returns a paragraph's text, style name, displayed number, list level and outline level."""
    ppr = p.find(W + "pPr")
    style_id = _val(ppr, "pStyle") or package.default_style
    chain = list(_style_chain(style_id, package))
    num_pr = ppr.find(W + "numPr") if ppr is not None else None
    num_id = _val(num_pr, "numId")
    ilvl = _val(num_pr, "ilvl")
    level = int(ilvl) if ilvl and ilvl.isdigit() else None
    for style in chain:  # the nearest style that says so decides
        if num_id is None and style.num_id is not None:
            num_id = style.num_id
        if level is None and style.ilvl is not None:
            level = style.ilvl
    outline_value = _val(ppr, "outlineLvl")
    outline = int(outline_value) if outline_value and outline_value.isdigit() else next(
        (s.outline for s in chain if s.outline is not None), None)
    text = Text()
    _walk(p, text, package, False, False)
    number = package.numbering.next_number(num_id, level or 0) if num_id else None
    return text, chain[0].name if chain else "", number, level if num_id else None, outline


def _walk(element, text: Text, package: Package | None, inserted: bool, deleted: bool) -> None:
    for child in element.iterchildren():
        tag = _tag(child)
        if tag == "r":
            _run(child, text, package, inserted, deleted)
        elif tag in _INSERTED:
            _walk(child, text, package, True, deleted)
        elif tag in _DELETED:
            _walk(child, text, package, inserted, True)
        elif tag in _INLINE:
            _walk(child, text, package, inserted, deleted)
        elif tag == "commentRangeStart" and package is not None:
            _comment(child, text, package)


def _run(run, text: Text, package: Package | None, inserted: bool, deleted: bool) -> None:
    rpr = run.find(W + "rPr")
    if rpr is not None and rpr.find(W + "vanish") is not None and _val(rpr, "vanish") not in ("0", "false"):
        return  # hidden text is not printed
    for child in run.iterchildren():
        tag = _tag(child)
        if tag in ("t", "delText"):
            text.add(child.text or "", inserted, deleted)
        elif tag == "tab":
            text.add("\t", inserted, deleted)
        elif tag in ("br", "cr"):
            text.add("\n" if child.get(W + "type") in (None, "textWrapping") else " ", inserted, deleted)
        elif tag == "noBreakHyphen":
            text.add("-", inserted, deleted)
        elif tag == "commentReference" and package is not None:
            _comment(child, text, package)
        elif tag == "footnoteReference" and package is not None and not deleted:
            note_id = child.get(W + "id", "")
            if note_id in package.footnotes:
                n = package.footnote_order.setdefault(note_id, len(package.footnote_order) + 1)
                text.footnotes.append(f"Footnote {n}: {package.footnotes[note_id]}")


def _comment(element, text: Text, package: Package) -> None:
    """Attaches a comment to the paragraph where its range starts (or, failing that, its mark)."""
    comment_id = element.get(W + "id", "")
    if comment_id in package.comments and comment_id not in package.used_comments:
        package.used_comments.add(comment_id)
        text.comments.append(package.comments[comment_id])


def _joined(parts: list[str]) -> str:
    return "".join(parts).replace("\u00a0", " ").replace("\u00ad", "")


def _paragraph_blocks(p, package: Package) -> list[Block]:
    text, style, number, list_level, outline = _paragraph(p, package)
    if style.lower().startswith("toc"):
        return []  # a generated table of contents: its entries reappear as headings
    current, original = _joined(text.current).strip(), _joined(text.original).strip()
    notes = tuple(text.comments + text.footnotes)
    changed = original if original != current else None
    level = _heading_level(style, outline)
    if not current:
        # a paragraph deleted whole: nothing now, but its original words and notes are kept
        return [Block(text="", kind="note", original=changed, annotations=notes, style=style)] if changed or notes else []
    if level is not None:
        kind = "title" if level == 0 else "heading"
        return [Block(text=current.replace("\n", " "), kind=kind, level=level, number=number, style=style,
                      original=changed.replace("\n", " ") if changed is not None else None, annotations=notes)]
    if changed is None and "\n" in current and number is None:
        # lines broken by hand (an address, a signature block) are lines, as in a text file
        lines = [line.strip() for line in current.split("\n") if line.strip()]
        return [Block(text=line, style=style, annotations=notes if i == 0 else ()) for i, line in enumerate(lines)]
    return [Block(text=current.replace("\n", " "), number=number, level=list_level, style=style,
                  original=changed.replace("\n", " ") if changed is not None else None, annotations=notes)]


def _table_blocks(table, package: Package) -> list[Block]:
    blocks: list[Block] = []
    for row in table.iter(W + "tr"):
        if row.getparent() is not table and _tag(row.getparent()) not in ("sdtContent",):
            continue  # rows of a nested table are read as part of their cell
        current_cells: list[str] = []
        original_cells: list[str] = []
        notes: list[str] = []
        for cell in row.iter(W + "tc"):
            if _nearest_row(cell) is not row:
                continue
            now, before = [], []
            for p in cell.iter(W + "p"):
                text, _, number, _, _ = _paragraph(p, package)
                prefix = f"{number} " if number else ""
                now.append(prefix + _joined(text.current).strip())
                before.append(prefix + _joined(text.original).strip())
                notes.extend(text.comments + text.footnotes)
            current_cells.append(re.sub(r"\s+", " ", " ".join(now)).strip())
            original_cells.append(re.sub(r"\s+", " ", " ".join(before)).strip())
        current, original = _row_text(current_cells), _row_text(original_cells)
        if not current and not notes and not original:
            continue
        cells = current.split(" | ") if current else []
        blocks.append(Block(text=current, kind="row" if len(cells) > 1 else ("paragraph" if current else "note"),
                            original=original if original != current else None, annotations=tuple(notes)))
    return blocks


def _nearest_row(cell):
    parent = cell.getparent()
    while parent is not None and _tag(parent) != "tr":
        parent = parent.getparent()
    return parent


def _row_text(cells: list[str]) -> str:
    kept: list[str] = []
    for value in cells:
        if value and (not kept or kept[-1] != value):
            kept.append(value)
    return " | ".join(kept)


def _heading_level(style: str, outline: int | None) -> int | None:
    """Returns 0 for a title, n for a heading of level n, None for body text."""
    if style == "Title":
        return 0
    m = re.match(r"heading (\d)$", style, re.I)
    if m:
        return int(m.group(1))
    if outline is not None and outline < 9:
        return outline + 1
    return None
