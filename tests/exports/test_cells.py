"""No cell of an export runs as a formula, whatever text the casework holds (OWASP, CSV injection)."""

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from marm.exports.cells import DANGEROUS_FIRST, neutralised
from marm.exports.writers import write_csv, write_ods
from tests.exports.spreadsheets import csv_rows, ods_rows


def _made(writer, rows):
    out = io.BytesIO()
    count = writer(out, ["heading"] * len(rows[0]), rows)
    return out.getvalue(), count


def _starts_safely(text: str) -> bool:
    return text[:1] not in DANGEROUS_FIRST and text.lstrip(" ")[:1] not in DANGEROUS_FIRST


def test_text_a_spreadsheet_would_run_is_quoted():
    assert neutralised('=HYPERLINK("http://evil.example","Click")') == '\'=HYPERLINK("http://evil.example","Click")'
    assert neutralised("+44 1632 960000") == "'+44 1632 960000"
    assert neutralised("-2+3") == "'-2+3"
    assert neutralised("@SUM(A1)") == "'@SUM(A1)"
    assert neutralised("\t=1") == "'\t=1"
    assert neutralised("\r=1") == "'\r=1"
    assert neutralised("  =1") == "'  =1"
    assert neutralised("Margaret Thornbury") == "Margaret Thornbury"
    assert neutralised(None) == ""


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", '=cmd|" /C calc"!A0', " =1", "\x00=1", "'=1"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=5))
def test_no_csv_cell_starts_with_a_formula_character(rows):
    content, count = _made(write_csv, rows)
    assert count == len(rows)
    read = csv_rows(content)
    assert len(read) == len(rows) + 1
    for row in read:
        for text in row:
            assert _starts_safely(text), repr(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=5))
def test_no_ods_cell_is_a_formula_or_starts_with_a_formula_character(rows):
    content, count = _made(write_ods, rows)
    assert count == len(rows)
    read = ods_rows(content)  # every cell a string cell with no table:formula
    assert len(read) == len(rows) + 1
    for written, row in zip(rows, read[1:], strict=True):
        for value, text in zip(written, row, strict=True):
            assert _starts_safely(text), repr(text)
            assert text == neutralised(value).replace("\r\n", "\n").replace("\r", "\n")


def test_a_50000_row_export_completes_in_both_formats():
    """The rows stream from a generator; benchmarks/bench_exports.py measures time and memory."""

    def rows():
        for n in range(50_000):
            yield (f"MARM-{n:06d}", "Margaret Thornbury", "=1+1", "Open", "Shire Adult Social Care", n, "2026-01-01")

    out = io.BytesIO()
    assert write_csv(out, ["a", "b", "c", "d", "e", "f", "g"], rows()) == 50_000
    read = csv_rows(out.getvalue())
    assert len(read) == 50_001
    assert read[-1][2] == "'=1+1"
    out = io.BytesIO()
    assert write_ods(out, ["a", "b", "c", "d", "e", "f", "g"], rows()) == 50_000
    with zipfile.ZipFile(out) as archive:
        content = archive.read("content.xml")
    assert content.count(b"<table:table-row>") == 50_001
    assert b"table:formula" not in content
    assert content.count(b'office:value-type="string"') == 50_001 * 7
