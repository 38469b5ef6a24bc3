"""Word (.docx) files through python-docx: paragraphs with their styles, tables as rows."""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import IngestError
from ..model import Block


def read_word(data: bytes, source: str) -> tuple[Block, ...]:
    """Returns the blocks of a .docx file: headings from styles, one block per table row."""
    import docx  # python-docx stays inside this module
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(source, "not a Word .docx file (it is not a zip package): is it an old .doc or a renamed text file?")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types for broken packages
        raise IngestError(source, f"corrupt or unreadable .docx ({type(e).__name__}: {e})") from e
    blocks: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text
            style = para.style.name if para.style is not None else ""
            level = _heading_level(style)
            if level is not None:
                blocks.append(Block(text=text, kind="title" if level == 0 else "heading", level=level, style=style))
            else:
                blocks.append(Block(text=text, style=style))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    value = re.sub(r"\s+", " ", cell.text).strip()
                    if value and (not cells or cells[-1] != value):
                        cells.append(value)
                if cells:
                    blocks.append(Block(text=" | ".join(cells), kind="row" if len(cells) > 1 else "paragraph"))
    return tuple(blocks)


def _heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    m = re.match(r"Heading (\d)", style)
    return int(m.group(1)) if m else None
