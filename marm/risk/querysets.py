"""Scoping for the risk records: like every record under a case, readable only by
users whose agency has an active, full part in the case (ADR 0003, 0009)."""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.people.querysets import may_see_people


class UnderCaseQuerySet(models.QuerySet):
    # How to reach the case's id from the model: overridden per model.
    case_path = "case_id"

    def visible_to(self, user):
        from marm.cases.models import CaseAgency

        if not may_see_people(user):
            return self.none()
        part = CaseAgency.objects.filter(
            case=OuterRef(self.case_path), agency_id=user.agency_id, ended_at__isnull=True, access="full"
        )
        return self.filter(Exists(part))


class VersionQuerySet(UnderCaseQuerySet):
    case_path = "assessment__case_id"


class AspectQuerySet(UnderCaseQuerySet):
    case_path = "assessment_version__assessment__case_id"
