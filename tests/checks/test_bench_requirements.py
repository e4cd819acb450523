"""The load benchmark's tools (ADR 0029): hashed like the other locks, and never on a server or in CI."""

from pathlib import Path

from tests.checks.test_supply_chain import DEV, HASH, PIN, PRODUCTION, _pins, _pyproject, _pyproject_pins, _requirements

BENCH = Path(__file__).resolve().parents[2] / "requirements" / "bench.txt"


def test_bench_lock_is_pinned_with_hashes():
    entries = _requirements(BENCH)
    assert entries, "bench.txt lists nothing"
    for entry in entries:
        head = entry.split("--hash", 1)[0].strip()
        assert PIN.match(head), f"bench.txt: not pinned with ==: {head}"
        assert HASH.search(entry), f"bench.txt: no sha256 hash for {head}"


def test_bench_lock_agrees_with_pyproject():
    bench = _pins(BENCH)
    for name, version in _pyproject_pins(_pyproject()["optional-dependencies"]["bench"]).items():
        assert bench.get(name) == version, f"{name}=={version} in the bench extras; run make lock"


def test_bench_lock_adds_only_what_production_and_dev_lack():
    # Installed on top of both, it must never ask for another version of a package they pin.
    bench = set(_pins(BENCH))
    assert not (bench & set(_pins(PRODUCTION)))
    assert not (bench & set(_pins(DEV)))


def test_bench_tools_are_not_installed_by_setup():
    makefile = (BENCH.parents[1] / "Makefile").read_text(encoding="utf-8")
    installed_target = makefile.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    assert "bench.txt" not in installed_target
    assert "bench-setup:" in makefile
