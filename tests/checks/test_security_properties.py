"""The security properties table (docs/security-properties.md) against the tests that prove it.

Every property the table marks held needs at least one test named after it (``test_S4_...``); a test
named after a property the table marks neither held nor partly is an error; and the count of
properties held with a test, which the document states, must be the count the suite gives.
The tests are found by reading the files' text, not by collecting them.

Run ``python tests/checks/test_security_properties.py`` to print the count.
"""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "security-properties.md"
TESTS = ROOT / "tests"

PROPERTIES = (
    [f"A{n}" for n in range(1, 9)]
    + [f"S{n}" for n in range(1, 7)]
    + [f"Z{n}" for n in range(1, 9)]
    + [f"L{n}" for n in range(1, 10)]
    + [f"D{n}" for n in range(1, 8)]
    + [f"H{n}" for n in range(1, 9)]
    + [f"C{n}" for n in range(1, 4)]
    + [f"P{n}" for n in range(1, 4)]
    + [f"R{n}" for n in range(1, 5)]
)
STATUSES = ("held", "partly", "not held", "not applicable")
TEST_NAME = re.compile(r"def (test_[A-Z]\d+_\w+)")
ROW = re.compile(r"^\|\s*([A-Z]\d+)\s*\|")
STATED_COUNT = re.compile(r"Held with a test: (\d+) of (\d+)")


def statuses(document: str) -> tuple[dict[str, str], list[str]]:
    """Each property's status from the table, and what is wrong with the table itself."""
    found: dict[str, str] = {}
    problems = []
    for line in document.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        ident = match.group(1)
        # Cells split on "|" but not on "\\|" (a pipe written inside a cell).
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        status = cells[2].lower() if len(cells) > 2 else ""
        if ident not in PROPERTIES:
            problems.append(f"{ident} is not a property of section 2")
        elif ident in found:
            problems.append(f"{ident} has more than one row")
        elif status not in STATUSES:
            problems.append(f"{ident} has the status {status!r}: use one of {', '.join(STATUSES)}")
        else:
            found[ident] = status
    problems += [f"{ident} has no row in the table" for ident in PROPERTIES if ident not in found]
    return found, problems


def named_tests(files) -> dict[str, list[str]]:
    """Test function names that start with a property id, by id."""
    tests = defaultdict(list)
    for path in files:
        for name in TEST_NAME.findall(Path(path).read_text(encoding="utf-8")):
            ident = re.match(r"test_([A-Z]\d+)_", name).group(1)
            tests[ident].append(name)
    return tests


def check(document: str, files) -> tuple[int, list[str]]:
    """The count of properties held with a test, and every problem found."""
    found, problems = statuses(document)
    tests = named_tests(files)
    for ident, status in found.items():
        if status == "held" and not tests.get(ident):
            problems.append(f"{ident} is marked held but no test is named test_{ident}_...")
    for ident, names in sorted(tests.items()):
        status = found.get(ident)
        if status not in ("held", "partly"):
            why = "is not a property of section 2" if ident not in PROPERTIES else f"is marked {status!r}"
            problems += [f"{name} is named after {ident}, which {why}" for name in names]
    held_with_a_test = sum(1 for ident, status in found.items() if status == "held" and tests.get(ident))
    stated = STATED_COUNT.search(document)
    if stated is None:
        problems.append("The document does not state 'Held with a test: N of 56'")
    elif (int(stated.group(1)), int(stated.group(2))) != (held_with_a_test, len(PROPERTIES)):
        problems.append(
            f"The document states {stated.group(1)} of {stated.group(2)} held with a test;"
            f" the suite gives {held_with_a_test} of {len(PROPERTIES)}"
        )
    # A test the table names must exist (a name ending in * stands for every test with that start).
    all_names = {name for names in tests.values() for name in names}
    for line in document.splitlines():
        if ROW.match(line):
            for listed in re.findall(r"`(test_[A-Z]\d+_\w*\*?)`", line):
                exists = (
                    any(name.startswith(listed[:-1]) for name in all_names)
                    if listed.endswith("*")
                    else listed in all_names
                )
                if not exists:
                    problems.append(f"The table names {listed}, which no test file defines")
    return held_with_a_test, problems


def _test_files():
    return sorted(TESTS.rglob("test_*.py"))


def test_every_held_property_has_a_test_and_every_named_test_a_property():
    held_with_a_test, problems = check(DOCUMENT.read_text(encoding="utf-8"), _test_files())
    print(f"Security properties held with a test: {held_with_a_test} / {len(PROPERTIES)}")
    assert problems == [], "\n".join(problems)


# The check itself, on made-up tables and tests.


def _table(rows: dict[str, str], count: int) -> str:
    lines = ["| ID | Property | Status | Where | Tests |", "|---|---|---|---|---|"]
    lines += [f"| {ident} | something | {rows.get(ident, 'not held')} | somewhere | |" for ident in PROPERTIES]
    return "\n".join(lines) + f"\n\nHeld with a test: {count} of 56.\n"


def _tests(tmp_path, *names):
    path = tmp_path / "test_made_up.py"
    path.write_text("".join(f"def {name}():\n    pass\n\n" for name in names))
    return [path]


def test_a_held_property_without_a_test_is_named(tmp_path):
    count, problems = check(_table({"S4": "held", "A5": "held"}, 1), _tests(tmp_path, "test_A5_argon2"))
    assert count == 1
    assert problems == ["S4 is marked held but no test is named test_S4_..."]


def test_a_test_named_after_a_property_not_held_is_refused(tmp_path):
    files = _tests(tmp_path, "test_D1_subject_access", "test_Z7_policies", "test_X1_nothing")
    _, problems = check(_table({"Z7": "partly"}, 0), files)
    assert problems == [
        "test_D1_subject_access is named after D1, which is marked 'not held'",
        "test_X1_nothing is named after X1, which is not a property of section 2",
    ]


def test_a_wrong_stated_count_a_missing_row_and_an_unknown_status_are_found(tmp_path):
    table = _table({"A1": "held"}, 0).replace("| R4 | something | not held |", "| R4 | something | maybe |")
    table = table.replace("| R3 | something | not held | somewhere | |\n", "")
    _, problems = check(table, _tests(tmp_path, "test_A1_two_factors"))
    assert problems == [
        "R4 has the status 'maybe': use one of held, partly, not held, not applicable",
        "R3 has no row in the table",
        "R4 has no row in the table",
        "The document states 0 of 56 held with a test; the suite gives 1 of 56",
    ]


def test_a_test_the_table_names_must_exist(tmp_path):
    table = _table({"A1": "held"}, 1).replace(
        "| A1 | something | held | somewhere | |", "| A1 | x | held | y | `test_A1_gone` |"
    )
    _, problems = check(table, _tests(tmp_path, "test_A1_two_factors"))
    assert problems == ["The table names test_A1_gone, which no test file defines"]


if __name__ == "__main__":
    held, found_problems = check(DOCUMENT.read_text(encoding="utf-8"), _test_files())
    print(f"Security properties held with a test: {held} / {len(PROPERTIES)}")
    for problem in found_problems:
        print(problem)
