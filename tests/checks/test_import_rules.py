"""The import rules of docs/architecture.md are checked by import-linter (make lint, CI)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )


def _copy_of_marm(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "marm", tmp_path / "marm", ignore=shutil.ignore_patterns("__pycache__", "templates"))
    return tmp_path


def test_the_tree_keeps_the_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_lint(tmp_path):
    tree = _copy_of_marm(tmp_path)
    with (tree / "marm" / "people" / "services.py").open("a") as module:
        module.write("\nfrom marm.closure import models as closure_models  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "marm.people is not allowed to import marm.closure" in result.stdout


def test_an_infrastructure_app_may_not_import_a_domain_app(tmp_path):
    tree = _copy_of_marm(tmp_path)
    with (tree / "marm" / "audit" / "services.py").open("a") as module:
        module.write("\nfrom marm.people import models as people_models  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "marm.audit is not allowed to import marm.people" in result.stdout
