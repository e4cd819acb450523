"""Recording a sharing decision: the only way another agency joins a case (001 3.3)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case, CaseAccessLevel, CaseAgency
from marm.cases.vocab import YesNoUnknown
from marm.core.locking import save_if_current
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.notifications.services import notify
from marm.organisations.models import Role
from marm.people.models import AgencyInvolvement, InvolvementBasis
from marm.people.services import involvement_end, involvement_start
from marm.sharing.models import AdultNotToldReason, AdultTold, QualityTest, SharingBasis, SharingDecision
from marm.sharing.presenters import sharing_facts_text
from marm.sharing.selectors import adult_agreed_to_share_with, board_agencies

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


def _adult_told_errors(
    *, agency, basis, adult_told, adult_told_on, adult_told_by, adult_not_told_reason, adult_not_told_details
) -> dict[str, str]:
    """What a share against the adult's wishes still lacks: other grounds, and whether they were told."""
    errors = {}
    if basis == SharingBasis.CONSENT:
        errors["basis"] = (
            f"The adult has not agreed to share their information with {agency}: "
            "choose the grounds for sharing without their consent"
        )
    if adult_told not in AdultTold.values:
        errors["adult_told"] = "Select whether the adult has been told about this share"
    elif adult_told == AdultTold.YES:
        if adult_told_on is None:
            errors["adult_told_on"] = "Enter the date the adult was told"
        elif adult_told_on > timezone.localdate():
            errors["adult_told_on"] = "The date the adult was told must be today or in the past"
        if not adult_told_by.strip():
            errors["adult_told_by"] = "Enter who told the adult"
    elif adult_not_told_reason not in AdultNotToldReason.values:
        errors["adult_not_told_reason"] = "Select why the adult has not been told"
    elif adult_not_told_reason == AdultNotToldReason.OTHER and not adult_not_told_details.strip():
        errors["adult_not_told_details"] = "Say why the adult has not been told"
    return errors


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
    adult_told: str = "",
    adult_told_on=None,
    adult_told_by: str = "",
    adult_not_told_reason: str = "",
    adult_not_told_details: str = "",
    legislation=(),
    participants=(),
    other_participants: str = "",
) -> SharingDecision:
    """Share a case with an agency, on recorded grounds; the agency's users can then see it.

    Never with the Safeguarding Adults Board, whose users cannot open a case.
    A share with an agency the adult has not agreed to (or when they were not
    asked) is against their wishes: never on consent, and it records whether
    the adult was told, when and by whom, or why not (001 3.3). The decision's
    text carries the grounds, those facts and the six information-quality
    tests, and the receiving agency's practitioners and managers are notified.
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
    against_wishes = not adult_agreed_to_share_with(case=case, agency=agency)
    if against_wishes:
        errors.update(
            _adult_told_errors(
                agency=agency,
                basis=basis,
                adult_told=adult_told,
                adult_told_on=adult_told_on,
                adult_told_by=adult_told_by,
                adult_not_told_reason=adult_not_told_reason,
                adult_not_told_details=adult_not_told_details,
            )
        )
    if CaseAgency.objects.filter(case=case, agency=agency, ended_at__isnull=True).exists():
        errors["agency"] = f"{agency} is already involved in this case"
    elif board_agencies().filter(pk=agency.pk).exists():
        errors["agency"] = BOARD_REFUSED
    if errors:
        raise ValidationError(errors)
    told = adult_told if against_wishes else ""
    sharing = SharingDecision(
        case=case,
        person=case.person,
        agency=agency,
        basis=basis,
        consent_details=consent_details.strip(),
        rationale=rationale.strip(),
        access=access,
        what_is_shared=what_is_shared.strip(),
        quality_tests=sorted(set(quality_tests)),
        against_wishes=against_wishes,
        adult_told=told,
        adult_told_on=adult_told_on if told == AdultTold.YES else None,
        adult_told_by=adult_told_by.strip() if told == AdultTold.YES else "",
        adult_not_told_reason=adult_not_told_reason if told == AdultTold.NO else "",
        adult_not_told_details=adult_not_told_details.strip() if told == AdultTold.NO else "",
        decided_by=acting_user,
    )
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.SHARE,
        summary=f"Share {dict(CaseAccessLevel.choices)[access].lower()} with {agency}",
        rationale=f"{rationale.strip()}\n\n{sharing_facts_text(sharing)}",
        participants=[acting_user, *participants],
        other_participants=other_participants,
        legislation=legislation,
    )
    sharing.decision = decision
    sharing.full_clean(exclude=["case", "person", "agency", "decision", "decided_by"])
    sharing.save(force_insert=True)
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
        detail={
            "to_agency": agency.pk,
            "basis": basis,
            "access": access,
            "against_wishes": against_wishes,
            "adult_told": told,
        },
    )
    _tell_the_agency(acting_user=acting_user, sharing=sharing)
    return sharing


@acts_on("case")
@transaction.atomic
def sharing_decide_several(*, acting_user, case: Case, agencies, **grounds) -> list[SharingDecision]:
    """Share a case with several agencies at once (inviting them to a meeting, say): one sharing
    decision each, every one on the same grounds, tests and answers, through ``sharing_decide``.
    All or none: a refusal for any agency leaves no share behind, and says which agency."""
    agencies = list(dict.fromkeys(agencies))
    if not agencies:
        raise ValidationError({"agencies": "Select the agencies to share with"})
    decisions, errors = [], {}
    for agency in agencies:
        try:
            decisions.append(sharing_decide(acting_user=acting_user, case=case, agency=agency, **grounds))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                field = "agencies" if field in ("agency", "__all__") else field
                for message in messages:
                    if message not in errors.setdefault(field, []):
                        errors[field].append(message)
    if errors:
        raise ValidationError(errors)
    return decisions


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


@acts_on("case")
@transaction.atomic
def sharing_wishes_record(
    *,
    acting_user,
    case: Case,
    expected_version: int,
    asked_about_sharing: str,
    agreed_agencies=(),
    views_on_sharing: str = "",
    asked_on=None,
    asked_by: str = "",
) -> Case:
    """Record or change the adult's wishes about sharing (001 3.3): whether they were asked, when
    and by whom, their words, and the agencies they agreed their information may be shared with.

    The lead agency records them. A later share with an agency not on the list is against
    their wishes, and says so. One audit row holds the agencies before and after.
    """
    require(acting_user, "sharing.record_wishes", case)
    agreed = list(dict.fromkeys(agreed_agencies))
    errors = {}
    if asked_about_sharing not in YesNoUnknown.values:
        errors["asked_about_sharing"] = "Select whether the adult was asked about sharing their information"
    elif asked_about_sharing == YesNoUnknown.YES:
        if asked_on is None:
            errors["asked_on"] = "Enter the date the adult was asked"
        elif asked_on > timezone.localdate():
            errors["asked_on"] = "The date the adult was asked must be today or in the past"
        if not asked_by.strip():
            errors["asked_by"] = "Enter who asked the adult"
    elif agreed:
        errors["agreed_agencies"] = "Select agencies only if the adult was asked about sharing"
    if agreed and board_agencies().filter(pk__in=[agency.pk for agency in agreed]).exists():
        errors["agreed_agencies"] = BOARD_REFUSED
    if errors:
        raise ValidationError(errors)
    asked = asked_about_sharing == YesNoUnknown.YES
    before = sorted(case.sharing_agreed_agencies.values_list("pk", flat=True))
    case.asked_about_sharing = asked_about_sharing
    case.views_on_sharing = views_on_sharing.strip()
    case.sharing_asked_on = asked_on if asked else None
    case.sharing_asked_by = asked_by.strip() if asked else ""
    case.full_clean(exclude=["reference", "submission_key", "sharing_agreed_agencies"])
    save_if_current(
        case,
        expected_version=expected_version,
        fields=["asked_about_sharing", "views_on_sharing", "sharing_asked_on", "sharing_asked_by"],
    )
    case.sharing_agreed_agencies.set(agreed)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case,
        person_id=case.person_id,
        detail={
            "asked_about_sharing": asked_about_sharing,
            "sharing_agreed_agencies": [before, sorted(agency.pk for agency in agreed)],
        },
    )
    return case
