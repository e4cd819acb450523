"""Spreadsheet files written row by row, so a long export never holds more than one row of cells.

CSV through the standard library. OpenDocument (.ods) by hand (ADR 0036): the file is a zip of a
``mimetype`` entry (first, stored), ``META-INF/manifest.xml`` and ``content.xml``, whose rows are
written to the zip as they come. Every cell is a string cell (``office:value-type="string"``) with
no ``table:formula``, and its text is neutralised as in the CSV, so no spreadsheet runs a formula
from either file."""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from marm.exports.cells import neutralised

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

_CONTENT_START = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name={name}>
"""

_CONTENT_END = "</table:table></office:spreadsheet></office:body></office:document-content>\n"


def write_csv(out, headings: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write the CSV (UTF-8 with a byte-order mark, so spreadsheets read the names right) to the
    binary file ``out``; returns the number of rows after the headings."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralised(h) for h in headings])
    count = 0
    for row in rows:
        writer.writerow([neutralised(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count


def _ods_cell(value) -> str:
    # XML reads a carriage return as a line end: every line end becomes the spreadsheet's line break.
    lines = neutralised(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph = "<text:line-break/>".join(escape(line) for line in lines)
    return f'<table:table-cell office:value-type="string"><text:p>{paragraph}</text:p></table:table-cell>'


def _ods_row(values) -> bytes:
    return ("<table:table-row>" + "".join(_ods_cell(v) for v in values) + "</table:table-row>\n").encode()


def write_ods(out, headings: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Export") -> int:
    """Write the OpenDocument spreadsheet to the binary file ``out``; returns the number of rows
    after the headings."""
    count = 0
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype entry comes first and is stored, so the type can be read from the file's start.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("content.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as content:
            content.write(_CONTENT_START.format(name=quoteattr(sheet)).encode())
            content.write(_ods_row(headings))
            for row in rows:
                content.write(_ods_row(row))
                count += 1
            content.write(_CONTENT_END.encode())
    return count


WRITERS = {"csv": write_csv, "ods": write_ods}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "ods": ODS_MIMETYPE}
