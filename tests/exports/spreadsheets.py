"""Reading exported files back as a spreadsheet would."""

import csv
import io
import zipfile

from defusedxml import ElementTree

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def ods_rows(content: bytes) -> list[list[str]]:
    """The cells of the first sheet as text; fails on a cell that is not a string cell or carries a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "META-INF/manifest.xml" in names
        root = ElementTree.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iter(f"{{{TABLE}}}table-row"):
        cells = []
        for cell in row.iter(f"{{{TABLE}}}table-cell"):
            assert cell.get(f"{{{OFFICE}}}value-type") == "string"
            assert cell.get(f"{{{TABLE}}}formula") is None
            paragraph = cell.find(f"{{{TEXT}}}p")
            parts = [paragraph.text or ""]
            for child in paragraph:
                assert child.tag == f"{{{TEXT}}}line-break"
                parts.append("\n" + (child.tail or ""))
            cells.append("".join(parts))
        rows.append(cells)
    return rows
