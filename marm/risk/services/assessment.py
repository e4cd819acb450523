"""The risk assessment, version by version (000 4.4, 5.6; 001 3.5).

A draft is open to every agency with full access to the case; agreeing it
locks it and records the decision; the next draft starts as a copy of it.
Drafts are edited with optimistic locking, so a second save on top of a
first is refused (StaleEditError) rather than lost.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.cases.rules import require_at_stage
from marm.core.locking import StaleEditError, save_if_current
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.risk import vocab
from marm.risk.models import AspectAssessment, RiskAssessment, RiskAssessmentVersion

OVERVIEW_FIELDS = [
    "risks_to_others",
    "benefits_of_involvement",
    "risks_of_involvement",
    "benefits_of_non_involvement",
    "risks_of_non_involvement",
    "what_matters",
    "strengths",
    "adult_view",
    "overall_level",
    "plan_summary",
]
ASPECT_FIELDS = ["what_is_known", "likelihood", "impact", "adult_view"]


def _locked_draft(version: RiskAssessmentVersion) -> RiskAssessmentVersion:
    """The version under a row lock: agreeing and editing cannot interleave."""
    locked = (
        RiskAssessmentVersion.objects.select_for_update(of=("self",))
        .select_related("assessment__case")
        .get(pk=version.pk)
    )
    if locked.status != vocab.VersionStatus.DRAFT:
        raise ValidationError(f"Version {locked.number} has been agreed and is locked: start the next version")
    return locked


def _clean(text) -> str:
    return (text or "").strip()


@acts_on("case")
@transaction.atomic
def risk_assessment_start(*, acting_user, case: Case) -> RiskAssessmentVersion:
    """Open a draft: the first one empty, each later one a copy of the latest agreed version."""
    require(acting_user, "risk.contribute", case)
    require_at_stage(
        acting_user,
        "risk.start_assessment",
        case,
        refusal=ValidationError("A risk assessment starts once the case is accepted into MARM"),
    )
    assessment, _ = RiskAssessment.objects.get_or_create(case=case, defaults={"started_by": acting_user})
    # Serialise starts on this assessment, so two users cannot both open version N.
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    versions = list(assessment.versions.order_by("number"))
    if any(v.status == vocab.VersionStatus.DRAFT for v in versions):
        raise ValidationError("A draft is already open: add to it rather than starting another")
    previous = versions[-1] if versions else None
    version = RiskAssessmentVersion(
        assessment=assessment,
        number=previous.number + 1 if previous else 1,
        based_on=previous,
        started_by=acting_user,
        **{name: getattr(previous, name) for name in OVERVIEW_FIELDS} if previous else {},
    )
    version.full_clean()
    version.save(force_insert=True)
    earlier = (
        {row.aspect: row for row in previous.aspects.prefetch_related("contributing_agencies")} if previous else {}
    )
    for position, aspect in enumerate(vocab.RiskAspect, start=1):
        source = earlier.get(aspect)
        row = AspectAssessment.objects.create(
            assessment_version=version,
            aspect=aspect,
            position=position,
            **{name: getattr(source, name) for name in ASPECT_FIELDS} if source else {},
        )
        if source:
            row.contributing_agencies.set(source.contributing_agencies.all())
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=version,
        person_id=case.person_id,
        detail={"number": version.number, "based_on": previous.number if previous else None},
    )
    return version


@acts_on("aspect")
@transaction.atomic
def aspect_update(
    *,
    acting_user,
    aspect: AspectAssessment,
    expected_version: int,
    what_is_known: str,
    likelihood: int | None,
    impact: int | None,
    adult_view: str = "",
) -> AspectAssessment:
    """Write one aspect of the draft for the acting user's agency, unless someone saved it first."""
    version = _locked_draft(aspect.assessment_version)
    case = version.assessment.case
    require(acting_user, "risk.contribute", case)
    aspect.what_is_known = _clean(what_is_known)
    aspect.likelihood = likelihood or None
    aspect.impact = impact or None
    aspect.adult_view = _clean(adult_view)
    aspect.updated_by = acting_user
    aspect.updated_at = timezone.now()
    aspect.full_clean(exclude=["assessment_version"])
    save_if_current(aspect, expected_version=expected_version, fields=[*ASPECT_FIELDS, "updated_by", "updated_at"])
    aspect.contributing_agencies.add(acting_user.agency_id)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=aspect,
        person_id=case.person_id,
        detail={"version": version.number, "aspect": aspect.aspect, "level": aspect.level},
    )
    return aspect


@acts_on("version")
@transaction.atomic
def risk_assessment_update(*, acting_user, version: RiskAssessmentVersion, expected_version: int, **changes):
    """Write the draft's overview: risks to others, involvement, what matters, the plan summary."""
    unknown = set(changes) - set(OVERVIEW_FIELDS)
    if unknown:
        raise ValueError(f"Not part of the overview: {sorted(unknown)}")
    locked = _locked_draft(version)
    case = locked.assessment.case
    require(acting_user, "risk.contribute", case)
    for name, value in changes.items():
        setattr(version, name, _clean(value))
    version.updated_by = acting_user
    version.updated_at = timezone.now()
    version.full_clean(exclude=["assessment", "based_on"])
    save_if_current(version, expected_version=expected_version, fields=[*changes, "updated_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=version,
        person_id=case.person_id,
        detail={"number": version.number, "fields": sorted(changes)},
    )
    return version


def missing_for_agreement(version: RiskAssessmentVersion) -> dict[str, str]:
    """What a draft still needs before it can be agreed, keyed by the field to point at."""
    missing = {}
    unrated = [row.get_aspect_display() for row in version.aspects.all() if not row.level or not row.what_is_known]
    if unrated:
        missing["aspects"] = (
            f"Record what is known and rate the risk for every aspect. Still to do: {'; '.join(unrated)}"
        )
    if not version.overall_level:
        missing["overall_level"] = "Set the overall level of risk"
    if not version.plan_summary.strip():
        missing["plan_summary"] = "Summarise the plan: what will be done and by whom"
    return missing


@acts_on("version")
@transaction.atomic
def risk_assessment_agree(
    *,
    acting_user,
    version: RiskAssessmentVersion,
    expected_version: int,
    how: str,
    agreed_on: datetime.date,
    note: str,
    participants=(),
    legislation=(),
) -> RiskAssessmentVersion:
    """Agree the draft, which locks it, and record the decision (000 6.3) in the same transaction."""
    locked = _locked_draft(version)
    case = locked.assessment.case
    require(acting_user, "risk.agree", case)
    if locked.version != expected_version:
        raise StaleEditError(locked)
    errors = {}
    if how not in vocab.AgreedHow.values:
        errors["how"] = "Select how the assessment was agreed"
    if not agreed_on or agreed_on > timezone.localdate():
        errors["agreed_on"] = "Enter the date it was agreed: today or in the past"
    if not _clean(note):
        errors["note"] = "Say who agreed it, and at which meeting if there was one"
    errors.update(missing_for_agreement(locked))
    if errors:
        raise ValidationError(errors)
    identified = locked.identified_risks()
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.OTHER,
        summary=(
            f"Risk assessment version {locked.number} agreed: overall risk {locked.get_overall_level_display().lower()}"
        ),
        rationale=(
            f"{_clean(note)}\nRisks identified: "
            + (
                "; ".join(f"{row.get_aspect_display()} ({row.get_level_display().lower()})" for row in identified)
                or "none above low"
            )
            + f"\nPlan: {locked.plan_summary}"
        ),
        participants=[acting_user, *participants],
        legislation=legislation,
    )
    locked.status = vocab.VersionStatus.AGREED
    locked.agreed_by = acting_user
    locked.agreed_at = timezone.now()
    locked.agreed_how = how
    locked.agreed_on = agreed_on
    locked.agreed_note = _clean(note)
    locked.decision = decision
    locked.full_clean(exclude=["assessment", "based_on", "decision"])
    save_if_current(
        locked,
        expected_version=expected_version,
        fields=["status", "agreed_by", "agreed_at", "agreed_how", "agreed_on", "agreed_note", "decision"],
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        person_id=case.person_id,
        detail={"number": locked.number, "agreed": True, "overall_level": locked.overall_level},
    )
    return locked
