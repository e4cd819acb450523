"""Users never see the numbers of the guidance documents or of the design records.

"000 6.2", "(002)", "001 section 2", "000 Appendix A" and "ADR 0011" refer to the
project's source documents and design records, which practitioners, managers and
police officers never read. They belong in code comments and docstrings; what a user
reads (templates, choice labels, verbose names, help texts, form labels, error and
success messages) says the same thing in words.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "marm"

REFERENCE = re.compile(
    r"\(00[0-4]\b"  # "(002)", "(002 Next steps)"
    # "000 6.2", "001 3.3", "001 section 2", "000 Appendix A", "000 I.4", "003 SAB1", "002:"
    # (not a group of digits inside a longer number: an NHS number "301 003 5160", a phone number)
    r"|(?<!\d )\b00[0-4]\b(?![ \t]\d{3,})(?=[ \t]*(?:[:;,)]|section\b|Appendix\b|[A-Z]{0,4}\.?\d))"
    r"|\bseed[ \t]+00\d\b"
    r"|\bADR[ \t]*\d{4}\b"
)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)


def marm_apps():
    return [config for config in apps.get_app_configs() if config.name.startswith("marm.")]


def template_files():
    folders = [Path(config.path) / "templates" for config in marm_apps()]
    folders += [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    for folder in folders:
        if folder.is_dir():
            yield from sorted(path for path in folder.rglob("*") if path.suffix in (".html", ".txt", ".ics", ".xml"))


def _blank_out(match: re.Match) -> str:
    """A comment's text gone, its line breaks kept, so line numbers still point at the template."""
    return "\n" * match.group(0).count("\n")


def template_problems(paths, root=ROOT) -> list[str]:
    problems = []
    for path in paths:
        text = TEMPLATE_COMMENT.sub(_blank_out, path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), start=1):
            if REFERENCE.search(line):
                problems.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return problems


def field_problems(models) -> list[str]:
    problems = []
    for model in models:
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # the other end of a relation: its own model is checked
            name = f"{model._meta.label}.{field.name}"
            texts = [("verbose_name", getattr(field, "verbose_name", "")), ("help_text", field.help_text)]
            texts += [("choice", label) for _value, label in getattr(field, "flatchoices", None) or []]
            for kind, text in texts:
                if REFERENCE.search(str(text)):
                    problems.append(f"{name} {kind}: {text}")
    return problems


def _docstrings(tree) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def string_problems(paths, root=ROOT) -> list[str]:
    """Strings in code other than docstrings (comments are not strings): labels, help texts,
    messages, and text written into records a user reads."""
    problems = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and REFERENCE.search(node.value)
            ):
                problems.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return problems


def code_files():
    for config in marm_apps():
        for path in sorted(Path(config.path).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _report(problems: list[str], what: str) -> str:
    return f"Internal references in {what}: say it in words instead\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    [
        "Entry criteria (001 section 2): all must hold",
        "At risk (000 section 3.1)",
        "The risks are resolved or managed to an acceptable level (000 6.2)",
        "The adult or family is not engaging (002)",
        "Key actions (000 Appendix A)",
        "Criteria (000 I.4)",
        "Likelihood times impact (ADR 0011).",
        "001 3.5: risk enablement",
        "Clear actions identified and followed up (003 SAB1).",
        "The composite action plan (seed 004)",
    ],
)
def test_the_pattern_finds_each_kind_of_reference(text):
    assert REFERENCE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mental Capacity Act 2005, section 1",
        "Care Act 2014, section 42",
        "Version 2 was agreed on 1 May 2025",
        "DASH checklist: 14 or more suggests MARAC",
        "Reference DEMO-001-B",
        "Between 0 and 27",
    ],
)
def test_the_pattern_leaves_plain_words_and_the_law_alone(text):
    assert not REFERENCE.search(text)


def test_no_template_shows_an_internal_reference():
    problems = template_problems(template_files())
    assert not problems, _report(problems, "templates")


def test_a_template_comment_may_keep_its_reference(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{# 000 Appendix A #}\n<h2>Key actions</h2>\n{% comment %}\nADR 0011\n{% endcomment %}\n"
        "<p>At risk (000 3.1)</p>\n",
        encoding="utf-8",
    )
    assert template_problems([page], root=tmp_path) == ["page.html:6: <p>At risk (000 3.1)</p>"]


def test_no_model_field_shows_an_internal_reference():
    models = [model for config in marm_apps() for model in config.get_models()]
    problems = field_problems(models)
    assert not problems, _report(problems, "model fields (verbose name, help text or choices)")


def test_a_choice_label_with_a_reference_is_found():
    from django.db import models

    class Reason(models.TextChoices):
        MANAGED = "managed", "Managed (000 6.2)"

    field = models.CharField(choices=Reason.choices, help_text="See ADR 0011")
    field.name = "reason"

    class Model:
        class _meta:  # noqa: N801
            label = "closure.Example"

            @staticmethod
            def get_fields():
                return [field]

    assert field_problems([Model]) == [
        "closure.Example.reason help_text: See ADR 0011",
        "closure.Example.reason choice: Managed (000 6.2)",
    ]


def test_no_label_help_text_or_message_in_code_shows_an_internal_reference():
    problems = string_problems(code_files())
    assert not problems, _report(problems, "strings in code (labels, help texts, messages)")


def test_docstrings_and_comments_keep_their_references(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        '"""Closure (000 6.2)."""\n\n# 002: no closure without checks\n'
        'def close():\n    """000 6.2 and ADR 0015."""\n    return "Give the rationale (000 6.2)"\n',
        encoding="utf-8",
    )
    assert string_problems([module], root=tmp_path) == ["example.py:6: 'Give the rationale (000 6.2)'"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "police_b", "board_officer"])
def test_no_swept_page_shows_an_internal_reference(request, client_for, persona, sweep_urls):
    """Every page of the URL sweep, as rendered: person_a's whole record and each app's records."""
    client = client_for(request.getfixturevalue(persona))
    problems = []
    for name, url, _declared in sweep_urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for line in response.content.decode().splitlines():
            if REFERENCE.search(line):
                problems.append(f"{name} ({url}): {line.strip()}")
    assert not problems, _report(problems, "pages")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "cases:screen",
        "closure:attempt-new",
        "closure:flag",
        "closure:reflection-new",
        "closure:check-new",
        "closure:close",
        "closure:s42-refer",
    ],
)
def test_forms_sent_back_with_errors_show_no_internal_reference(client_for, manager_a, accepted_case, url_name):
    response = client_for(manager_a).post(reverse(url_name, kwargs={"case_pk": accepted_case.pk}), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert not REFERENCE.search(page), [line.strip() for line in page.splitlines() if REFERENCE.search(line)]
