"""The review pages as each persona: the board officer keeps the plan, a nominated contact updates only
their own organisation's entries, anyone else is refused with a 403 (a review holds no person)."""

import datetime
import re
from html import unescape as html_unescape

import pytest
from django.urls import reverse
from django.utils.html import escape

from marm.sar import services
from marm.sar.models import Progress, ProgressChange, Review, Theme
from marm.sar.vocab import Rag

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _summary_lines(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [
        html_unescape(re.sub(r"<[^>]+>", "", item).strip()) for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


def _update_links(html: str) -> list[str]:
    return re.findall(r'href="(/board/reviews/\d+/progress/\d+/)"', html)


def test_the_board_officer_lists_reviews_with_their_dates_and_progress(client_for, board_officer, plan, police_b):
    services.progress_update(
        acting_user=police_b,
        progress=plan.police_entry,
        expected_version=1,
        text="Protocol reviewed",
        rag=Rag.AMBER,
    )
    page = client_for(board_officer).get(reverse("sar:list")).content.decode()
    assert "SAR-101" in page
    assert "A, B and C" in page
    assert "4 March 2024" in page and "15 April 2024" in page
    assert ">42<" in page  # days from referral to decision
    assert "0 of 2 progress entries complete" in page
    assert "Amber: at risk</strong> 1" in page
    assert "Not reported yet</strong> 1" in page
    assert "Record a review" in page


def test_the_board_officer_sees_the_plan_by_theme_with_every_entry_editable(client_for, board_officer, plan, police_b):
    services.progress_update(
        acting_user=police_b, progress=plan.police_entry, expected_version=1, text="Group met twice", rag=Rag.RED
    )
    page = client_for(board_officer).get(reverse("sar:review", kwargs={"review_id": plan.review.pk})).content.decode()
    assert "Information sharing" in page
    assert "Recommendation 1" in page
    assert "Set up a task and finish group." in page
    assert "Group met twice" in page
    assert "Red: off track" in page
    assert "Not reported yet" in page
    assert f"Contact: {escape(police_b.full_name)}" in page
    assert sorted(_update_links(page)) == sorted(
        reverse("sar:progress", kwargs={"review_id": plan.review.pk, "progress_id": entry.pk})
        for entry in (plan.police_entry, plan.gp_entry)
    )
    assert "Sign off this action" in page
    assert "Add a recommendation" in page


def test_a_contact_lists_only_the_reviews_their_organisation_takes_part_in(client_for, board_officer, plan, police_b):
    services.review_create(
        acting_user=board_officer,
        reference="SAR-303",
        title="Another review",
        adults="E",
        referred_on=datetime.date(2024, 1, 2),
        adult_died=False,
    )
    page = client_for(police_b).get(reverse("sar:list")).content.decode()
    assert "SAR-101" in page
    assert "SAR-303" not in page
    assert "Record a review" not in page


def test_a_contact_sees_an_update_link_only_on_their_own_entry(client_for, plan, police_b):
    page = client_for(police_b).get(reverse("sar:review", kwargs={"review_id": plan.review.pk})).content.decode()
    own = reverse("sar:progress", kwargs={"review_id": plan.review.pk, "progress_id": plan.police_entry.pk})
    assert _update_links(page) == [own]
    assert "Sign off this action" not in page
    assert "Add an organisation" not in page


def test_a_contact_updates_their_own_entry_through_the_page(client_for, review_url, plan, police_b):
    client = client_for(police_b)
    url = review_url("progress", plan.review, progress_id=plan.police_entry.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"text": "Protocol agreed", "evidence": "Signed protocol", "rag": "complete", "version": 1}
    )
    assert response.status_code == 302
    entry = Progress.objects.get(pk=plan.police_entry.pk)
    assert (entry.text, entry.evidence, entry.rag) == ("Protocol agreed", "Signed protocol", "complete")


def test_another_organisations_entry_gives_403_to_a_contact(client_for, review_url, plan, police_b):
    client = client_for(police_b)
    url = review_url("progress", plan.review, progress_id=plan.gp_entry.pk)
    assert client.get(url).status_code == 403
    response = client.post(url, {"text": "Overwritten", "rag": "complete", "version": 1})
    assert response.status_code == 403
    entry = Progress.objects.get(pk=plan.gp_entry.pk)
    assert (entry.text, entry.version) == ("", 1)
    assert not ProgressChange.objects.exists()


def test_a_contact_may_not_manage_the_review(client_for, review_url, plan, police_b):
    client = client_for(police_b)
    for url in (
        reverse("sar:review-new"),
        review_url("review-edit", plan.review),
        review_url("review-conclude", plan.review),
        review_url("organisation-new", plan.review),
        review_url("theme-new", plan.review),
        review_url("recommendation-new", plan.review),
        review_url("recommendation-respond", plan.review, recommendation_id=plan.recommendation.pk),
        review_url("action-new", plan.review, recommendation_id=plan.recommendation.pk),
        review_url("action-sign-off", plan.review, action_id=plan.action.pk),
        review_url("plan-new", plan.review),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "X", "text": "X", "reason": "X"}).status_code == 403, url
    assert Theme.objects.count() == 1


def test_a_contact_of_another_review_is_refused_this_one(client_for, board_officer, review_url, plan, police_b):
    other = services.review_create(
        acting_user=board_officer,
        reference="SAR-404",
        title="Another review",
        adults="F",
        referred_on=datetime.date(2024, 1, 2),
        adult_died=False,
    )
    assert client_for(police_b).get(review_url("review", other)).status_code == 403


@pytest.mark.parametrize("persona", ["practitioner_a", "outsider", "manager_a", "administrator", "auditor_a"])
def test_anyone_else_gets_403_on_every_review_page(request, client_for, review_url, plan, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("sar:list"),
        review_url("review", plan.review),
        review_url("progress", plan.review, progress_id=plan.police_entry.pk),
        review_url("theme-new", plan.review),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        review_url("progress", plan.review, progress_id=plan.police_entry.pk),
        {"text": "X", "rag": "green", "version": 1},
    )
    assert response.status_code == 403
    assert not ProgressChange.objects.exists()


def test_the_board_officer_records_a_review_through_the_form(client_for, board_officer):
    client = client_for(board_officer)
    form = client.get(reverse("sar:review-new")).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    data = {
        "reference": "SAR-505",
        "title": "Review of the care of G",
        "adults": "G",
        **_date("referred_on", datetime.date(2024, 2, 1)),
        **_date("decided_on", datetime.date(2024, 2, 29)),
        "adult_died": "yes",
        "submission_key": key,
    }
    response = client.post(reverse("sar:review-new"), data)
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sar:review", kwargs={"review_id": review.pk})
    assert review.adult_died is True
    assert review.days_to_decision == 28
    assert client.post(reverse("sar:review-new"), data).status_code == 302
    assert Review.objects.count() == 1


def test_bad_input_shows_the_error_summary_and_saves_nothing(client_for, board_officer):
    response = client_for(board_officer).post(
        reverse("sar:review-new"),
        {
            "reference": "SAR-606",
            "title": "",
            "adults": "H",
            **_date("referred_on", datetime.date(2024, 3, 1)),
            **_date("decided_on", datetime.date(2024, 2, 1)),
        },
    )
    assert response.status_code == 200
    lines = _summary_lines(response.content.decode())
    assert "Enter the review's title" in lines
    assert "Select whether the adult died" in lines
    assert not Review.objects.exists()
    response = client_for(board_officer).post(
        reverse("sar:review-new"),
        {
            "reference": "SAR-606",
            "title": "Review",
            "adults": "H",
            **_date("referred_on", datetime.date(2024, 3, 1)),
            **_date("decided_on", datetime.date(2024, 2, 1)),
            "adult_died": "no",
        },
    )
    assert _summary_lines(response.content.decode()) == [
        "The decision date must be the same as or after the referral date"
    ]
    assert not Review.objects.exists()


def test_a_not_accepted_recommendation_without_a_reason_is_refused_on_the_form(
    client_for, board_officer, review_url, plan
):
    response = client_for(board_officer).post(
        review_url("recommendation-respond", plan.review, recommendation_id=plan.recommendation.pk),
        {"response": "not_accepted", "not_accepted_reason": ""},
    )
    assert response.status_code == 200
    assert _summary_lines(response.content.decode()) == ["Say why the recommendation was not accepted"]
    plan.recommendation.refresh_from_db()
    assert plan.recommendation.response == "accepted"


def test_the_board_officer_builds_the_plan_through_the_forms(
    client_for, board_officer, review_url, review, agency_b, police_b
):
    client = client_for(board_officer)
    assert (
        client.post(review_url("organisation-new", review), {"agency": agency_b.pk, "contact": police_b.pk}).status_code
        == 302
    )
    assert client.post(review_url("theme-new", review), {"title": "Mental capacity"}).status_code == 302
    theme = Theme.objects.get()
    response = client.post(
        review_url("recommendation-new", review), {"theme": theme.pk, "number": "1", "text": "Train"}
    )
    assert response.status_code == 302
    recommendation = theme.recommendations.get()
    response = client.post(
        review_url("recommendation-respond", review, recommendation_id=recommendation.pk), {"response": "accepted"}
    )
    assert response.status_code == 302
    response = client.post(
        review_url("action-new", review, recommendation_id=recommendation.pk),
        {"text": "Run workshops", **_date("due_date", datetime.date(2030, 3, 31))},
    )
    assert response.status_code == 302
    entry = Progress.objects.get()
    assert entry.review_organisation.contact == police_b
    assert entry.review_action.due_date == datetime.date(2030, 3, 31)
    response = client.post(
        review_url("plan-new", review),
        {
            "review_organisation": entry.review_organisation.pk,
            "title": "Police plan",
            **_date("received_on", datetime.date(2024, 6, 1)),
        },
    )
    assert response.status_code == 302
    page = client.get(review_url("review", review)).content.decode()
    assert "Police plan" in page and "Run workshops" in page and "31 March 2030" in page


def test_a_contact_from_another_agency_is_refused_on_the_form(
    client_for, board_officer, review_url, review, agency_b, gp_c
):
    response = client_for(board_officer).post(
        review_url("organisation-new", review), {"agency": agency_b.pk, "contact": gp_c.pk}
    )
    assert response.status_code == 200
    assert _summary_lines(response.content.decode()) == [
        f"{gp_c.full_name} does not work for {agency_b}: choose someone who does"
    ]
    assert not review.organisations.exists()


def test_a_stale_edit_shows_the_other_persons_change_and_keeps_mine(
    client_for, board_officer, review_url, plan, police_b
):
    url = review_url("progress", plan.review, progress_id=plan.police_entry.pk)
    client = client_for(police_b)
    client.get(url)  # opened at version 1
    services.progress_update(
        acting_user=board_officer,
        progress=plan.police_entry,
        expected_version=1,
        text="Recorded by the board",
        rag=Rag.GREEN,
    )
    response = client.post(url, {"text": "My own report", "evidence": "", "rag": "amber", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Recorded by the board" in page
    assert "My own report" in page
    assert escape(board_officer.full_name) in page
    assert 'name="version" value="2"' in page
    entry = Progress.objects.get(pk=plan.police_entry.pk)
    assert (entry.text, entry.rag) == ("Recorded by the board", "green")
    # Saving their version from the conflict page now goes through.
    response = client.post(url, {"text": "My own report", "evidence": "", "rag": "amber", "version": 2})
    assert response.status_code == 302
    assert Progress.objects.get(pk=plan.police_entry.pk).text == "My own report"


def test_sign_off_without_complete_evidence_asks_why(client_for, board_officer, review_url, plan):
    client = client_for(board_officer)
    url = review_url("action-sign-off", plan.review, action_id=plan.action.pk)
    page = client.get(url).content.decode()
    assert "Not every organisation reports this action complete with evidence" in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "say why it is signed off anyway" in _summary_lines(response.content.decode())[0]
    plan.action.refresh_from_db()
    assert not plan.action.is_signed_off
    response = client.post(url, {"reason": "Agreed at the board meeting of 12 March"})
    assert response.status_code == 302
    plan.action.refresh_from_db()
    assert plan.action.is_signed_off
    page = client.get(review_url("review", plan.review)).content.decode()
    assert "Agreed at the board meeting of 12 March" in page
    assert not _update_links(page)


def test_concluding_the_review_through_the_form(client_for, board_officer, review_url, review):
    client = client_for(board_officer)
    response = client.post(review_url("review-conclude", review), {})
    assert _summary_lines(response.content.decode()) == ["Enter the date the review concluded"]
    response = client.post(review_url("review-conclude", review), _date("concluded_on", datetime.date(2024, 10, 1)))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "concluded"
    page = client.get(reverse("sar:list")).content.decode()
    assert "Concluded" in page


def test_an_unknown_review_is_a_404_for_the_board_officer(client_for, board_officer):
    assert client_for(board_officer).get(reverse("sar:review", kwargs={"review_id": 999999})).status_code == 404


def test_a_nominated_contact_finds_the_review_on_their_home_page(client_for, plan, police_b):
    review = plan.review
    page = client_for(police_b).get(reverse("dashboards:home")).content.decode()
    assert "Safeguarding Adults Reviews you report on" in page
    assert reverse("sar:review", kwargs={"review_id": review.pk}) in page


def test_someone_who_reports_on_no_review_sees_no_reviews_on_their_home_page(client_for, practitioner_a):
    assert (
        "Safeguarding Adults Reviews you report on"
        not in client_for(practitioner_a).get(reverse("dashboards:home")).content.decode()
    )
