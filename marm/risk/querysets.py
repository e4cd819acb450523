"""Scoping for the risk records: like every record under a case, readable only by
users whose agency has an active, full part in the case (ADR 0003, 0009)."""

from marm.cases.querysets import CaseRecordQuerySet


class VersionQuerySet(CaseRecordQuerySet):
    case_path = "assessment__case_id"


class AspectQuerySet(CaseRecordQuerySet):
    case_path = "assessment_version__assessment__case_id"
