"""The board officer reads figures, never a person: every URL in the URL sweep, as the board officer.

Person and case pages give 404 (and a DENIED row, tests/test_url_sweep.py); the board's own pages
(its plans, reviews, measures and surveys) answer, and none of them shows person_a's name or the
reference of their case, though both are in the records the measures count."""

import pytest

from tests.sweep import REFUSED_PERSONAS

pytestmark = pytest.mark.django_db

BOARD_NAMESPACES = ("board", "assurance", "sar", "surveys")


def test_the_board_officer_is_one_of_the_personas_refused_every_person(board_officer):
    assert "board_officer" in REFUSED_PERSONAS


def test_no_board_page_shows_a_person_or_a_case_reference(
    client_for, board_officer, person_a, accepted_case, sweep_urls
):
    client = client_for(board_officer)
    board_pages = [(name, url) for name, url, declared in sweep_urls if name.split(":")[0] in BOARD_NAMESPACES]
    assert any(name.startswith("assurance:") for name, _ in board_pages)
    for name, url in board_pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), f"{name} {url} gave {response.status_code}"
        content = response.content.decode(errors="replace")
        for secret in (person_a.full_name, accepted_case.reference):
            assert secret not in content, f"{name} {url} shows {secret!r}"
