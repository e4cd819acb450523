import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_data_access.py"


def _run(*paths):
    return subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True, check=False
    )


def test_the_project_follows_the_rule():
    result = _run()
    assert result.returncode == 0, result.stdout


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
