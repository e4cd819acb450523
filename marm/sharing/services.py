"""Recording a sharing decision: the only way another agency joins a case (001 3.3)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case, CaseAccessLevel, CaseAgency
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.notifications.services import notify
from marm.organisations.models import Role
from marm.people.models import AgencyInvolvement, InvolvementBasis
from marm.people.services import involvement_end, involvement_start
from marm.sharing.models import QualityTest, SharingBasis, SharingDecision
from marm.sharing.presenters import quality_tests_text
from marm.sharing.selectors import board_agencies

# The board reads the partnership's figures; a case is never shared with it.
BOARD_REFUSED = "The Safeguarding Adults Board sees figures, never a person's case: choose a partner agency"

# Who at the receiving agency is told that a case has been shared with it.
TOLD_OF_A_SHARE = (Role.PRACTITIONER, Role.MANAGER)


def _tell_the_agency(*, acting_user, sharing: SharingDecision) -> None:
    """Tell the receiving agency's practitioners and managers: the case reference and a link, no names."""
    case = sharing.case
    recipients = (
        get_user_model()
        .objects.filter(agency=sharing.agency, is_active=True, memberships__role__in=TOLD_OF_A_SHARE)
        .distinct()
    )
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind="case_shared",
            key=f"case_shared:{sharing.pk}",
            title=f"Case {case.reference} has been shared with your agency",
            body=f"{sharing.decided_by.agency} shared case {case.reference} with your agency. Open it in marm.",
            link=reverse("cases:detail", kwargs={"case_pk": case.pk}),
            actor=acting_user,
        )


@acts_on("case")
@transaction.atomic
def sharing_decide(
    *,
    acting_user,
    case: Case,
    agency,
    basis: str,
    rationale: str,
    access: str,
    what_is_shared: str,
    quality_tests,
    consent_details: str = "",
    legislation=(),
    participants=(),
    other_participants: str = "",
) -> SharingDecision:
    """Share a case with an agency, on recorded grounds; the agency's users can then see it.

    Never with the Safeguarding Adults Board, whose users cannot open a case.
    The decision's text carries the six information-quality tests, and the
    receiving agency's practitioners and managers are notified.
    """
    if (
        not acting_user.has_perm("sharing.decide")
        or not Case.objects.fully_visible_to(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied
    errors = {}
    if basis not in SharingBasis.values:
        errors["basis"] = "Select the grounds for sharing"
    if basis == SharingBasis.CONSENT and not consent_details.strip():
        errors["consent_details"] = "Say how and when the adult gave their consent"
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for sharing, tied to the circumstances"
    if not what_is_shared.strip():
        errors["what_is_shared"] = "Say what is being shared"
    if access not in CaseAccessLevel.values:
        errors["access"] = "Select what the agency will be able to see"
    missing = [test.label.lower() for test in QualityTest if test.value not in set(quality_tests)]
    if missing:
        errors["quality_tests"] = (
            "Information may only be shared once it meets all six tests. Not confirmed: " + ", ".join(missing)
        )
    if CaseAgency.objects.filter(case=case, agency=agency, ended_at__isnull=True).exists():
        errors["agency"] = f"{agency} is already involved in this case"
    elif board_agencies().filter(pk=agency.pk).exists():
        errors["agency"] = BOARD_REFUSED
    if errors:
        raise ValidationError(errors)
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.SHARE,
        summary=f"Share {dict(CaseAccessLevel.choices)[access].lower()} with {agency}",
        rationale=f"{rationale.strip()}\n\n{quality_tests_text(quality_tests)}",
        participants=[acting_user, *participants],
        other_participants=other_participants,
        legislation=legislation,
    )
    sharing = SharingDecision.objects.create(
        case=case,
        person=case.person,
        agency=agency,
        basis=basis,
        consent_details=consent_details.strip(),
        rationale=rationale.strip(),
        access=access,
        what_is_shared=what_is_shared.strip(),
        quality_tests=sorted(set(quality_tests)),
        decision=decision,
        decided_by=acting_user,
    )
    CaseAgency.objects.create(case=case, agency=agency, access=access, sharing_decision=sharing)
    if access == CaseAccessLevel.FULL:
        # With the full case the agency sees the person's record too; a limited share shows only the name.
        involvement_start(
            acting_user=acting_user, person=case.person, agency=agency, basis=InvolvementBasis.SHARING_DECISION
        )
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=sharing,
        person_id=case.person_id,
        detail={"to_agency": agency.pk, "basis": basis, "access": access},
    )
    _tell_the_agency(acting_user=acting_user, sharing=sharing)
    return sharing


@acts_on("case_agency")
@transaction.atomic
def case_agency_end(*, acting_user, case_agency: CaseAgency, reason: str) -> CaseAgency:
    """End an agency's part in a case: its users' later reads are refused; the history stays."""
    case = case_agency.case
    if not acting_user.has_perm("cases.end_involvement", case):
        raise PermissionDenied
    if case_agency.agency_id == case.lead_agency_id:
        raise ValidationError("The lead coordinating agency cannot leave its own case")
    if case_agency.ended_at:
        raise ValidationError("This agency's part in the case has already ended")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the agency's involvement is ending"})
    case_agency.ended_at = timezone.now()
    case_agency.ended_by = acting_user
    case_agency.end_reason = reason.strip()
    case_agency.save(update_fields=["ended_at", "ended_by", "end_reason"])
    still_sharing = CaseAgency.objects.filter(
        case__person=case.person, agency=case_agency.agency, access="full", ended_at__isnull=True
    ).exists()
    if not still_sharing:
        for involvement in AgencyInvolvement.objects.filter(
            person=case.person,
            agency=case_agency.agency,
            basis=InvolvementBasis.SHARING_DECISION,
            ended_at__isnull=True,
        ):
            involvement_end(acting_user=acting_user, involvement=involvement, reason=reason)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case_agency,
        person_id=case.person_id,
        detail={"ended": True, "agency": case_agency.agency_id},
    )
    return case_agency
