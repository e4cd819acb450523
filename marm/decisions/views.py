from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marm.cases.forms import DecisionForm
from marm.cases.presenters import form_page
from marm.cases.selectors import case_get_for_user, decision_of_case, decisions_for_case
from marm.decisions import integrity
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.govuk_forms.forms import submit_to_service


def case_log(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the decision log")
    decisions = decisions_for_case(user=request.user, case=case)
    checks = integrity.check_many(decisions)
    rows = [(d, integrity.missing_parts(d), checks[d.pk]) for d in decisions]
    return render(request, "decisions/case_log.html", {"case": case, "rows": rows})


@require_http_methods(["GET", "POST"])
def record(request, case_pk, decision_id=None):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording a decision")
    if not request.user.has_perm("decisions.add_decision"):
        raise PermissionDenied
    amends = None
    initial = {}
    if decision_id is not None:
        amends = decision_of_case(user=request.user, case=case, decision_id=decision_id)
        initial = {
            "summary": amends.summary,
            "rationale": amends.rationale,
            "options_considered": amends.options_considered,
            "other_participants": amends.other_participants,
            "legislation": list(amends.legislation.all()),
        }
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    submission = submit_to_service(
        request,
        form,
        lambda data: decision_record(
            acting_user=request.user,
            person=case.person,
            case=case,
            kind=amends.kind if amends else DecisionKind.OTHER,
            participants=[request.user],
            amends=amends,
            **data,
        ),
        success_message="Amendment recorded" if amends else "Decision recorded",
    )
    if submission.succeeded:
        return redirect("decisions:case-log", case_pk=case.pk)
    heading = "Amend a decision" if amends else "Record a decision"
    return render(request, "decisions/record.html", {**form_page(case, form, heading, "Record"), "amends": amends})
