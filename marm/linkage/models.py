"""Links between records of the same person: link, never merge (domain.md, People and identity).

A link says "these two records are the same adult". Both records stay as
they are, each agency's record untouched. Unlinking ends the link (who, when,
why) and keeps it: the history of what people decided is part of the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from marm.people.querysets import involved, may_see_people


class LinkSource(models.TextChoices):
    PERSON_PAGE = "person_page", "From the person's page"
    DUPLICATES_REPORT = "duplicates_report", "From the possible duplicates report"
    IMPORT = "import", "From an import of an agency's records"


class PersonLinkQuerySet(models.QuerySet):
    # For the guarded path: a link is audited against the first of its two records.
    person_path = "person_a_id"

    def visible_to(self, user):
        """Links both of whose records the user can see (ADR 0014)."""
        if not may_see_people(user):
            return self.none()
        return self.filter(involved(user, "person_a_id")).filter(involved(user, "person_b_id"))

    def active(self):
        return self.filter(ended_at__isnull=True)

    def involving(self, person_id):
        return self.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id))


class PersonLink(models.Model):
    # The pair is stored in id order, so one pair has one row however it was chosen.
    person_a = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("why they are the same person")
    source = models.CharField(max_length=20, choices=LinkSource.choices)
    match_probability = models.FloatField(null=True, blank=True)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField("why they are not the same person", blank=True)

    objects = PersonLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-linked_at"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="link_pair_in_order"),
            models.UniqueConstraint(
                fields=["person_a", "person_b"], condition=Q(ended_at__isnull=True), name="one_active_link_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""), name="ended_link_has_a_reason"
            ),
        ]

    def __str__(self):
        return f"Link {self.person_a_id} = {self.person_b_id}"

    @property
    def is_active(self):
        return self.ended_at is None

    def other(self, person_id):
        return self.person_b if self.person_a_id == person_id else self.person_a


class DuplicatesDismissal(models.Model):
    """An administrator's word that a suggested pair are different people, so the report stops offering it."""

    person_a = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    dismissed_at = models.DateTimeField()
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-dismissed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="dismissal_pair_in_order"),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_dismissal_per_pair"),
        ]

    def __str__(self):
        return f"Not the same person: {self.person_a_id} and {self.person_b_id}"


class DuplicateSuggestion(models.Model):
    """A pair the record-linkage run scored as probably the same person, for an administrator to decide.

    Derived data: each run replaces the suggestions of the one before. Decisions
    live elsewhere (PersonLink, DuplicatesDismissal) and outlast the runs.
    """

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # Field label -> "Agrees", "Differs" or "Not recorded on both": never the values.
    agreement = models.JSONField(default=dict)
    found_at = models.DateTimeField()

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="suggestion_pair_in_order"),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_suggestion_per_pair"),
        ]

    def __str__(self):
        return f"Possible duplicate {self.pk} ({self.match_probability:.2f})"


class PersonImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An agency's imports, to its managers: what was imported, as counts and ids (ADR 0037)."""
        if not may_see_people(user) or not user.has_perm("linkage.import_people"):
            return self.none()
        return self.filter(agency_id=user.agency_id)


class PersonImport(models.Model):
    """One confirmed import of people from an agency's own system (ADR 0037).

    Written when the preview is confirmed, with every person created and link made in the
    same transaction; nothing is written on upload. ``outcomes`` says what became of each
    row: ``{"row": 2, "reference": "MOS-1", "outcome": "created" | "linked" | "skipped",
    "person": id, "linked_to": id}``; no names, so the summary reads the people through
    the user's scope.
    """

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    # What the agency calls its reference ("Mosaic ID"): the label of the identifiers added.
    reference_label = models.CharField(max_length=60)
    created_count = models.PositiveIntegerField(default=0)
    linked_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    outcomes = models.JSONField(default=list)
    # The token of the preview confirmed: a second confirmation of the same preview makes nothing.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    objects = PersonImportQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"Import {self.pk} by {self.imported_by_id}"


class LinkageModel(models.Model):
    """A record-linkage model the nightly duplicates run trained (ADR 0014), kept to score an import's
    candidates (ADR 0037).

    ``settings`` is Splink's model as JSON: its comparisons (SQL over column names), the trained m and
    u probabilities and the prior. It holds parameters only, never a name, date or number of anyone:
    the run keeps the model and drops the people it was trained on. A model is read only by the
    Splink it was trained with (``splink_version``); the latest few are kept.
    """

    trained_at = models.DateTimeField()
    record_count = models.PositiveIntegerField()
    splink_version = models.CharField(max_length=20)
    settings = models.JSONField()

    class Meta:
        ordering = ["-trained_at", "-pk"]

    def __str__(self):
        return f"Linkage model {self.pk} ({self.record_count} records)"
