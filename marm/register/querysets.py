"""Who sees a register: the users of the team's own agency, and only while
that agency may see the person (an active involvement). Another agency
never sees that a person is on this register. The person rule is the people
app's (``PersonRecordQuerySet``); this adds only the keeping agency."""

from marm.people.querysets import PersonRecordQuerySet


class RegisterEntryQuerySet(PersonRecordQuerySet):
    def visible_to(self, user):
        return super().visible_to(user).filter(team__agency_id=user.agency_id)

    def active(self):
        return self.filter(removed_at__isnull=True)


class RegisterRecordQuerySet(PersonRecordQuerySet):
    """Records under a register entry (reviews, processes, alerts): readable with the entry."""

    person_path = "entry__person_id"

    def visible_to(self, user):
        return super().visible_to(user).filter(entry__team__agency_id=user.agency_id)


class DutyContactQuerySet(PersonRecordQuerySet):
    """A contact logged by the duty desk is read by the logging agency, while it may see the person."""

    def visible_to(self, user):
        return super().visible_to(user).filter(agency_id=user.agency_id)


class SupportReportQuerySet(PersonRecordQuerySet):
    """Reports of support not delivered are part of the person's record: any involved agency reads them."""
