"""Word documents (.docx): paragraphs and headings in order, each table row as one line of text.

A DOCX is a ZIP archive; its sizes are checked before anything is inflated, so a small file
that unpacks to gigabytes fails with a reason.
"""

from __future__ import annotations

import io
import zipfile

from watcher.convert.base import MAX_UNZIPPED, MAX_ZIP_RATIO, ConversionError, Converted, package_version

FORMAT = "docx"
NAME = "python-docx"
VERSION = package_version("python-docx")


def matches(probe) -> bool:
    return probe.head.startswith(b"PK\x03\x04") and (
        probe.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        or b"word/" in probe.head
        or probe.extension == ".docx"
    )


def convert(data: bytes) -> Converted:
    import docx
    from docx.oxml.ns import qn

    archive = _open_checked(data)
    if "word/document.xml" not in archive.namelist():
        raise ConversionError("the ZIP archive is not a Word document (it has no word/document.xml)")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ConversionError(f"the Word document is damaged and cannot be read ({type(error).__name__}: {error})") from error
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_text(element))
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_rows(element))
    core = document.core_properties
    title = (core.title or "").strip() or None
    text = "\n\n".join(line for line in (line.strip() for line in lines) if line)
    return Converted(text, FORMAT, NAME, VERSION, title=title if title and title in text else None)


def _open_checked(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ConversionError(f"the Word document is damaged (not a readable ZIP archive: {error})") from error
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        raise ConversionError(
            f"the Word document unpacks to {total:,} bytes, over the limit of {MAX_UNZIPPED:,} "
            "(a ZIP bomb, or a document full of images): save the text alone as a new .docx"
        )
    for member in members:
        if member.file_size > 10_000_000 and member.file_size > MAX_ZIP_RATIO * max(1, member.compress_size):
            raise ConversionError(
                f"the Word document's part {member.filename} inflates {member.file_size // max(1, member.compress_size)}-fold "
                "(a ZIP bomb); it was not unpacked"
            )
    if any(m.flag_bits & 0x1 for m in members):
        raise ConversionError("the Word document is encrypted: remove the password, save, and drop it in again")
    return archive


def _paragraph_text(paragraph) -> str:
    from docx.oxml.ns import qn

    return "".join(node.text or "" for node in paragraph.iter(qn("w:t")))


def _table_rows(table) -> list[str]:
    from docx.oxml.ns import qn

    rows = []
    for row in table.iter(qn("w:tr")):
        cells = ["".join(t.text or "" for t in cell.iter(qn("w:t"))).strip() for cell in row.iter(qn("w:tc"))]
        row_text = "，".join(c for c in cells if c)
        if row_text and row_text[-1] not in "。；！？":
            row_text += "。"
        rows.append(row_text)
    return rows
