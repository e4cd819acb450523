import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_data_access.py"

_spec = importlib.util.spec_from_file_location("check_data_access", SCRIPT)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)


def _run(*paths):
    return subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True, check=False
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _lines(problems: list[str]) -> list[int]:
    return [int(problem.split(":")[1]) for problem in problems]


def test_Z2_the_project_follows_the_rule():
    result = _run()
    assert result.returncode == 0, result.stdout


def test_with_no_arguments_it_reads_views_forms_template_tags_and_templates():
    found = {
        "views": list(check.view_modules(ROOT)),
        "forms and template tags": list(check.form_and_tag_modules(ROOT)),
        "templates": list(check.templates(ROOT)),
    }
    assert all(found.values()), found
    modules = found["forms and template tags"]
    assert any(path.name == "forms.py" for path in modules)
    assert any("templatetags" in path.parts for path in modules)


def test_a_view_reading_a_model_directly_is_caught(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "from marm.people.models import Person\n"
        "def detail(request, pk):\n"
        "    person = Person.objects.get(pk=pk)\n"
        "    other = get_object_or_404(Person, pk=pk)\n"
        "    return Person._default_manager.all()\n"
    )
    result = _run(view)
    assert result.returncode == 1
    assert f"{view}:4" in result.stdout
    assert f"{view}:5" in result.stdout
    assert f"{view}:6" in result.stdout
    assert "imports 'get_object_or_404'" in result.stdout


def test_a_view_may_not_read_reference_data_directly_either(tmp_path):
    view = _write(tmp_path / "views.py", "from marm.organisations.models import Agency\nAgency.objects.all()\n")
    assert _lines(check.problems_in(view)) == [2]


FORM = """\
from django import forms
from django.shortcuts import get_object_or_404
from marm.decisions.models import LegislationReference
from marm.organisations import models
from marm.organisations.models import Agency
from marm.people.models import Person


class PersonForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.all())
    legislation = forms.ModelMultipleChoiceField(queryset=LegislationReference.objects.filter(is_active=True))
    other_agency = forms.ModelChoiceField(queryset=models.Agency.objects.all())
    person = forms.ModelChoiceField(queryset=Person.objects.all())

    def clean_person(self):
        return get_object_or_404(Person, pk=self.cleaned_data["person"].pk)

    def others(self):
        return self.fields["person"].queryset.model._default_manager.all()
"""


def test_a_form_lists_reference_data_but_reads_people_through_a_selector(tmp_path):
    form = _write(tmp_path / "forms.py", FORM)
    problems = check.form_problems(form)
    assert _lines(problems) == [2, 13, 16, 19]
    assert "'Person.objects' in a form: only reference data that holds no person" in problems[1]
    assert "read the rest through the app's selector" in problems[1]
    assert "'get_object_or_404' in a form: use the app's selector" in problems[2]


def test_a_forms_package_is_read_as_forms(tmp_path):
    module = _write(tmp_path / "forms" / "people.py", FORM)
    assert _lines(check.problems_of(module)) == [2, 13, 16, 19]


def test_a_template_tag_reads_people_through_a_selector(tmp_path):
    tags = _write(
        tmp_path / "templatetags" / "people_tags.py",
        "from django import template\n"
        "from marm.cases.models import Case\n"
        "from marm.organisations.models import Agency\n"
        "register = template.Library()\n"
        "@register.simple_tag\n"
        "def agencies():\n"
        "    return Agency.objects.order_by('name')\n"
        "@register.simple_tag\n"
        "def open_cases(person):\n"
        "    return Case.objects.filter(person=person)\n",
    )
    problems = check.problems_of(tags)
    assert _lines(problems) == [10]
    assert "'Case.objects' in a template tag" in problems[0]
    result = _run(tags)
    assert result.returncode == 1 and f"{tags}:10" in result.stdout


TEMPLATE = """\
<style>section.first { page-break-before: avoid; }</style>
{% for meeting in case.meetings.all %}{{ meeting.starts_at }}{% endfor %}
<p>{{ person.aliases.count }} other names</p>
{% with latest=entry.professional_changes.all|first %}{{ latest.changed_at }}{% endwith %}
{% if person.alias_set.exists %}
  {% for label in risk_categories %}{{ label }}{% if not forloop.last %}, {% endif %}{% endfor %}
{% endif %}
{# {{ case.meetings.all }} is not read in a comment #}
{% comment %}
  Nor here: {{ case.transitions.all }}
{% endcomment %}
<a href="{% url 'cases:detail' case_pk=case.pk %}" title="{{ 'case.meetings.all' }}">{{ case.meetings_list|first }}</a>
{% for field, message in missing.items %}{{ message }}{% endfor %}
{% for agency in row.contributing_agencies.filter %}{{ agency }}{% endfor %}{{ decision.legislation.values }}
{% include "meetings/_list.html" with meetings=case.meetings.last %}
{% verbatim %}{{ person.addresses.first }}{% endverbatim %}
"""


def test_a_template_that_queries_a_related_manager_is_caught(tmp_path):
    template = _write(tmp_path / "templates" / "cases" / "page.html", TEMPLATE)
    problems = check.template_problems(template)
    assert _lines(problems) == [2, 3, 4, 5, 14, 14, 15]
    assert [problem.split("'")[1] for problem in problems] == [
        "case.meetings.all",
        "person.aliases.count",
        "entry.professional_changes.all",
        "person.alias_set.exists",
        "row.contributing_agencies.filter",
        "decision.legislation.values",
        "case.meetings.last",
    ]
    assert "have the selector prefetch it into a named attribute" in problems[0]


def test_the_script_reads_a_template_given_on_the_command_line(tmp_path):
    template = _write(tmp_path / "detail.html", "{% for m in case.meetings.all %}{{ m }}{% endfor %}\n")
    result = _run(template)
    assert result.returncode == 1
    assert f"{template}:1: 'case.meetings.all' in a template runs a query of its own" in result.stdout
    clean = _write(tmp_path / "clean.html", "{% for m in case.meetings_list %}{{ m }}{% endfor %}\n")
    assert _run(clean).returncode == 0
