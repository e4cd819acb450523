"""P1 of the security checklist: pinned, hashed dependencies and an SBOM (ADR 0023)."""

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ROOT / "requirements" / "production.txt"
DEV = ROOT / "requirements" / "dev.txt"

# A lock line: name==version, an optional environment marker, then the hashes.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;[^\\]*)?$")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")

# Tools that test, lint or lock the code: none belongs on a server.
TEST_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "pytest-playwright",
    "playwright",
    "ruff",
    "hypothesis",
    "factory-boy",
    "faker",
    "import-linter",
    "recordlinkage",
    "pypdf",
    "uv",
    "cyclonedx-bom",
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> list[str]:
    """The requirement entries of a lock, each with its continuation lines joined and comments dropped."""
    entries, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        current = f"{current} {line}".strip()
        if current.endswith("\\"):
            current = current[:-1].strip()
            continue
        entries.append(current)
        current = ""
    if current:
        entries.append(current)
    return entries


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for entry in _requirements(path):
        head = entry.split("--hash", 1)[0].strip()
        match = PIN.match(head)
        assert match, f"{path.name}: not pinned with ==: {head}"
        pins[_normalise(match["name"])] = match["version"]
    return pins


def _pyproject_pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"pyproject.toml should pin {requirement} with =="
        pins[_normalise(re.sub(r"\[.*\]", "", name).strip())] = version.strip()
    return pins


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


@pytest.mark.parametrize("lock", [PRODUCTION, DEV], ids=lambda path: path.name)
def test_P1_production_dependencies_are_pinned_with_hashes(lock):
    entries = _requirements(lock)
    assert entries, f"{lock.name} lists nothing"
    for entry in entries:
        assert not entry.startswith("-e"), f"{lock.name}: an editable install cannot be hashed: {entry}"
        head = entry.split("--hash", 1)[0].strip()
        assert PIN.match(head), f"{lock.name}: not pinned with ==: {head}"
        assert HASH.search(entry), f"{lock.name}: no sha256 hash for {head}"


def test_P1_no_test_tool_in_production():
    production = set(_pins(PRODUCTION))
    dev_extras = set(_pyproject_pins(_pyproject()["optional-dependencies"]["dev"]))
    assert not (production & TEST_TOOLS)
    assert not (production & dev_extras), "a test or lint tool would be installed on the server"


def test_P1_pyproject_and_lock_agree():
    project = _pyproject()
    production, dev = _pins(PRODUCTION), _pins(DEV)

    for name, version in _pyproject_pins(project["dependencies"]).items():
        assert production.get(name) == version, f"{name}=={version} in pyproject.toml; run make lock"
    for name, version in _pyproject_pins(project["optional-dependencies"]["dev"]).items():
        assert dev.get(name) == version, f"{name}=={version} in the dev extras; run make lock"


def test_P1_dev_lock_adds_only_what_production_lacks():
    # Installed one after the other, the two must never ask for two versions of one package.
    assert not (set(_pins(PRODUCTION)) & set(_pins(DEV)))


def test_P1_make_sbom_names_every_production_package_with_its_version(tmp_path):
    make = shutil.which("make")
    assert make, "make is needed to build marm"
    sbom = tmp_path / "sbom.cdx.json"
    # -o: take the installed packages as they are; the SBOM is built from the lock alone.
    result = subprocess.run(  # noqa: S603
        [make, "--no-print-directory", "-o", ".venv/.installed", "sbom", f"SBOM_FILE={sbom}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    document = json.loads(sbom.read_text(encoding="utf-8"))
    assert document["bomFormat"] == "CycloneDX"
    assert document["metadata"]["component"]["name"] == "marm"
    components = {_normalise(c["name"]): c["version"] for c in document["components"]}
    assert components["django"] == _pyproject_pins(_pyproject()["dependencies"])["django"]
    assert components == _pins(PRODUCTION)
