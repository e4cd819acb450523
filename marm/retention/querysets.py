"""Who sees a legal hold: a hold on a case, whoever sees the full case; a hold on a person, whoever
sees the person."""

from django.db import models
from django.db.models import Q

from marm.cases.querysets import case_part
from marm.people.querysets import involved, may_see_people


class LegalHoldQuerySet(models.QuerySet):
    person_path = "person_id"

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        on_person = Q(case__isnull=True) & Q(involved(user, "person_id"))
        on_case = Q(case__isnull=False) & Q(case_part(user, "case_id", access="full"))
        return self.filter(on_person | on_case)

    def active(self):
        return self.filter(lifted_at__isnull=True)
