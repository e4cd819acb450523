"""Who sees a register: the users of the team's own agency, and only while
that agency may see the person (an active involvement). Another agency
never sees that a person is on this register."""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.people.querysets import may_see_people


def _person_visible(user, person_ref: str):
    from marm.people.models import AgencyInvolvement

    return Exists(
        AgencyInvolvement.objects.filter(person=OuterRef(person_ref), agency_id=user.agency_id, ended_at__isnull=True)
    )


class RegisterEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(team__agency_id=user.agency_id).filter(_person_visible(user, "person_id"))

    def active(self):
        return self.filter(removed_at__isnull=True)


class RegisterRecordQuerySet(models.QuerySet):
    """Records under a register entry (reviews, processes, alerts): readable with the entry."""

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(entry__team__agency_id=user.agency_id).filter(_person_visible(user, "entry__person_id"))


class DutyContactQuerySet(models.QuerySet):
    """A contact logged by the duty desk is read by the logging agency, while it may see the person."""

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(agency_id=user.agency_id).filter(_person_visible(user, "person_id"))


class SupportReportQuerySet(models.QuerySet):
    """Reports of support not delivered are part of the person's record: any involved agency reads them."""

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(_person_visible(user, "person_id"))
