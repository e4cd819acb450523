"""The data-access rule: views read records only through selectors.

A view that touches a model manager (``Person.objects``, ``_default_manager``)
or ``get_object_or_404`` directly could skip ``visible_to(user)`` and the
read audit, so it fails this check. Run: python scripts/check_data_access.py [paths]
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
FORBIDDEN_CALLS = {"get_object_or_404", "get_list_or_404"}


def view_modules(root: Path):
    package = root / "marm"
    yield from package.glob("**/views.py")
    yield from package.glob("**/views/*.py")


def problems_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{path}:{node.lineno}: '.{node.attr}' in a view: read through a selector instead")
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in FORBIDDEN_CALLS:
                found.append(
                    f"{path}:{node.lineno}: '{name}' in a view: use the app's selector, which scopes and audits"
                )
        elif isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            for alias in node.names:
                if alias.name in FORBIDDEN_CALLS:
                    found.append(f"{path}:{node.lineno}: imports '{alias.name}': use the app's selector")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or list(view_modules(ROOT))
    problems = [problem for path in paths for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} direct data access(es) in views.", file=sys.stderr)
        return 1
    print(f"Data-access rule holds in {len(paths)} view modules.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
