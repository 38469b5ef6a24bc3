"""Plain text and Markdown: decode, undo extraction residue, one block per line."""
from __future__ import annotations

import re

from ..errors import IngestError
from ..model import Block

# Word's tracked insertions survive extraction as <u>…</u>; inside them "_" often stands for a space
_INSERTION = re.compile(r"<u>(.*?)</u>", re.S)
_INLINE_MARKUP = re.compile(r"</?(?:i|b|em|strong|u)>")
_BOLD = re.compile(r"\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\([^)\s]+\)")
_IMAGE = re.compile(r"\[image:[^\]]*\]\S*|!\[[^\]]*\]\([^)]*\)", re.I)
_BALLOON = re.compile(r"^\s*(Formatted|Deleted|Inserted|Moved \(from|Moved \(to|Field Code Changed)\b.*:", re.I)
_COMMENT = re.compile(r"Comment \[[^\]]{1,12}\]:")
# a digit followed by an inserted digit inside a number: the insertion replaced it (8.4<u>3</u>.1 → 8.3.1)
_NUMBER_CELL = re.compile(r"^(?:\(?[0-9]+(?:\.[0-9]+)*[.)]?|\(?[a-z]{1,4}[.)])$")
_NUMBER_FIX = re.compile(r"^(\s*(?:[-•·–]\s*)?\d+(?:\.\d+)*?\.?)\d<u>(\d+)</u>")


def decode(data: bytes, source: str) -> str:
    """Returns the text of a file in UTF-8 (with or without BOM), UTF-16 or Windows-1252."""
    if not data.strip():
        raise IngestError(source, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a BOM
        try:
            text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        except UnicodeDecodeError:
            text = ""
        if text and sum(ch.isprintable() or ch.isspace() for ch in text[:500]) > 0.95 * len(text[:500]):
            return text
    if b"\x00" in data:
        raise IngestError(source, "the file holds binary data (NUL bytes), not text: is it really a text file?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252, or files pasted together from both: decide line by line
        return "\n".join(_decode_line(line) for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n"))


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def clean_line(line: str) -> str:
    """Returns one line with tracked-change and formatting markup resolved (insertions accepted)."""
    line = _NUMBER_FIX.sub(r"\1\2", line)
    line = _INSERTION.sub(lambda m: m.group(1).replace("_", " "), line)
    line = _INLINE_MARKUP.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _BOLD.sub("", line)
    line = _EMPHASIS.sub(r"\1", line)
    line = line.replace("\u00ad", "").replace("\u00a0", " ")
    return line


def read_text(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of a text or Markdown file: one per line, balloons as annotations."""
    text = decode(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # an insertion may run over a line break: join it before reading line by line
    text = re.sub(r"<u>([^<]*)\n([^<]*)</u>", r"<u>\1 \2</u>", text)
    blocks: list[Block] = []
    open_comment: list[str] | None = None  # a comment balloon that may go on in the next lines
    comment_at_block: int | None = None  # the block it is attached to
    for raw in text.split("\n"):
        bold = raw.strip().startswith("**") and raw.strip().endswith("**") and len(raw.strip()) > 4
        heading = _MD_HEADING.match(raw)
        if heading:
            raw = heading.group(2)
        line = clean_line(raw)
        cells = [c.strip() for c in line.split("\t")]
        # a comment balloon extracted as a table column: it may go on in the next lines' last column
        comment_at = next((i for i, c in enumerate(cells) if _COMMENT.search(c)), None)
        new_comment = None
        if comment_at is not None:
            new_comment = open_comment = [" ".join(cells[comment_at:]).strip()]
            cells = cells[:comment_at]
        elif open_comment is not None and len(cells) >= 2 and cells[0] == "" and cells[-1]:
            open_comment.append(cells[-1])
            if comment_at_block is not None:
                _attach_to(blocks, comment_at_block, " ".join(open_comment), extend=True)
            cells = cells[:-1]
        else:
            open_comment = None
        line = "\t".join(cells).strip("\t ")
        if heading and line.strip():
            blocks.append(Block(text=line.strip(), kind="heading", level=len(heading.group(1))))
        elif line.strip() and not _BALLOON.match(line):
            _append_line(blocks, line, bold)
        elif line.strip():
            _attach(blocks, [line.strip()])
        if new_comment is not None:  # the balloon sits beside the words it comments on (or those above)
            comment_at_block = _attach(blocks, new_comment)
    return tuple(blocks)


def _append_line(blocks: list[Block], line: str, bold: bool) -> None:
    """Appends the block for one cleaned line: a row, a paragraph, a bold heading or image debris."""
    if _IMAGE.search(line):
        line = _IMAGE.split(line)[0].strip()
        if not line:
            blocks.append(Block(text="", kind="image"))
            return
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if len(cells) >= 2 and _NUMBER_CELL.match(cells[0]):
        cells = [" ".join(cells)]  # "5.8<tab>The Council…": a number typed before a tab
    if len(cells) >= 2:
        blocks.append(Block(text=" | ".join(cells), kind="row"))
    else:
        content = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        blocks.append(Block(text=content, kind="heading" if bold else "paragraph",
                            level=indent // 2 if indent else None))


def _attach_to(blocks: list[Block], index: int, text: str, extend: bool = False) -> None:
    """Sets a balloon on one block, replacing its last balloon when that one goes on."""
    from dataclasses import replace

    notes = blocks[index].annotations[:-1] if extend and blocks[index].annotations else blocks[index].annotations
    blocks[index] = replace(blocks[index], annotations=notes + (text,))


def _attach(blocks: list[Block], note: list[str]) -> int:
    """Attaches a balloon to the last real block; returns that block's index."""
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].kind != "image":
            _attach_to(blocks, i, " ".join(note))
            return i
    blocks.append(Block(text="", kind="note", annotations=(" ".join(note),)))
    return len(blocks) - 1
