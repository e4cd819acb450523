"""Who reads a decision: on a case, those whose agency takes part in the case in full; about the
person alone, those whose agency is involved with them. Built from the case and people scopes."""

from django.db import models
from django.db.models import Q

from marm.cases.querysets import case_part
from marm.people.querysets import involved, may_see_people


class DecisionQuerySet(models.QuerySet):
    person_path = "person_id"

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        on_a_case = Q(case__isnull=False) & Q(case_part(user, "case_id", access="full"))
        about_the_person = Q(case__isnull=True) & Q(involved(user, "person_id"))
        return self.filter(on_a_case | about_the_person)
