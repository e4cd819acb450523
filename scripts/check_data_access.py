"""The data-access rule: records about people and cases are read only through selectors.

- Views, template tags and forms never touch a model manager (``Person.objects``,
  ``_default_manager``) or call ``get_object_or_404``: that could skip ``visible_to(user)``
  and the read audit. Forms and template tags may list reference data that holds no
  person (``REFERENCE_MODELS``).
- Templates show only what a selector prepared. A related-manager query in a template
  (``case.meetings.all``, ``person.aliases.count``) runs a fresh, unscoped query whenever
  the selector did not prefetch it, so it fails this check too.

Run: python scripts/check_data_access.py [paths]. With no paths it reads every view,
template-tag and form module and every template under marm/.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
FORBIDDEN_CALLS = {"get_object_or_404", "get_list_or_404"}

# Reference data that holds no person: forms and template tags may list it for their choices.
# Anything about a person or a case (and User: colleagues are listed through a selector)
# is read through the app's selector instead.
REFERENCE_MODELS = {
    "Agency",  # the agencies to choose from (closure: who agreed the support, who takes the handover)
    "LegislationReference",  # the legislation and guidance a decision relies on
}

# What a template may not call on a variable: each is a query when the relation was not prefetched.
QUERY_METHODS = {"all", "filter", "count", "exists", "first", "last", "values"}
# As Django reads them: a tag or comment ends on its own line; comment and verbatim blocks span lines.
_IGNORED_BLOCKS = re.compile(r"{%\s*(comment|verbatim)\b[^\n]*?%}.*?{%\s*end\1\b[^\n]*?%}|{#[^\n]*?#}", re.DOTALL)
_TAGS = re.compile(r"{{.*?}}|{%.*?%}")
_STRINGS = re.compile(r"\"[^\"]*\"|'[^']*'")
_VARIABLES = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.\w+)+")


def view_modules(root: Path):
    package = root / "marm"
    yield from package.glob("**/views.py")
    yield from package.glob("**/views/*.py")


def form_and_tag_modules(root: Path):
    package = root / "marm"
    yield from package.glob("**/templatetags/*.py")
    yield from package.glob("**/forms.py")
    yield from package.glob("**/forms/*.py")


def templates(root: Path):
    yield from (root / "marm").glob("**/templates/**/*.html")


def _model_name(node: ast.AST) -> str:
    """The model a manager is read from: ``Agency`` in ``Agency.objects`` or ``models.Agency.objects``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def problems_in(path: Path, where: str = "a view", reference_models=frozenset()) -> list[str]:
    """Direct reads in a Python module. ``reference_models`` may be read through their manager."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in sorted(ast.walk(tree), key=lambda node: getattr(node, "lineno", 0)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            model = _model_name(node.value)
            if model in reference_models:
                continue
            if reference_models:
                allowed = ", ".join(sorted(reference_models))
                found.append(
                    f"{path}:{node.lineno}: '{model or '...'}.{node.attr}' in {where}: only reference data that "
                    f"holds no person ({allowed}) may be read here; read the rest through the app's selector"
                )
            else:
                found.append(f"{path}:{node.lineno}: '.{node.attr}' in {where}: read through a selector instead")
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in FORBIDDEN_CALLS:
                found.append(
                    f"{path}:{node.lineno}: '{name}' in {where}: use the app's selector, which scopes and audits"
                )
        elif isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            for alias in node.names:
                if alias.name in FORBIDDEN_CALLS:
                    found.append(f"{path}:{node.lineno}: imports '{alias.name}': use the app's selector")
    return found


def form_problems(path: Path) -> list[str]:
    return problems_in(path, where="a form", reference_models=REFERENCE_MODELS)


def template_tag_problems(path: Path) -> list[str]:
    return problems_in(path, where="a template tag", reference_models=REFERENCE_MODELS)


def _blanked(match: re.Match) -> str:
    """Spaces for what the check skips, keeping the newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def template_problems(path: Path) -> list[str]:
    """Related-manager queries (``.all``, ``.count``, ``_set``…) on a variable in a template."""
    text = _IGNORED_BLOCKS.sub(_blanked, path.read_text(encoding="utf-8"))
    found = []
    for tag in _TAGS.finditer(text):
        code = _STRINGS.sub(_blanked, tag.group(0))
        for variable in _VARIABLES.finditer(code):
            parts = variable.group(0).split(".")
            if parts[0] == "forloop":
                continue
            if any(part in QUERY_METHODS or part.endswith("_set") for part in parts[1:]):
                line = text.count("\n", 0, tag.start() + variable.start()) + 1
                found.append(
                    f"{path}:{line}: '{variable.group(0)}' in a template runs a query of its own: have the "
                    "selector prefetch it into a named attribute (Prefetch(..., to_attr=...)) and read that"
                )
    return found


def problems_of(path: Path) -> list[str]:
    """The rule for the kind of file: template, template tag, form or view."""
    if path.suffix == ".html":
        return template_problems(path)
    if "templatetags" in path.parts:
        return template_tag_problems(path)
    if path.name == "forms.py" or path.parent.name == "forms":
        return form_problems(path)
    return problems_in(path)


def main(argv: list[str]) -> int:
    if argv:
        paths = [Path(arg) for arg in argv]
    else:
        paths = [*view_modules(ROOT), *form_and_tag_modules(ROOT), *templates(ROOT)]
    problems = [problem for path in paths for problem in problems_of(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} direct data access(es) outside selectors.", file=sys.stderr)
        return 1
    print(f"Data-access rule holds in {len(paths)} views, forms, template tags and templates.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
