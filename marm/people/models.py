import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from marm.core.models import VersionedModel
from marm.people import nhs_number
from marm.people.querysets import (
    EmergencyAccessQuerySet,
    EmergencyAccessReviewQuerySet,
    PersonQuerySet,
    PersonRecordQuerySet,
)


class DatePrecision(models.TextChoices):
    EXACT = "exact", "Exact date"
    MONTH = "month", "Month and year only"
    YEAR = "year", "Year only"


def validate_nhs_number(value):
    message = nhs_number.error_for(value)
    if message:
        raise ValidationError(message, code="invalid_nhs_number")


class Person(VersionedModel):
    """An adult at risk: one record however many agencies know them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField("first name", max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField("last name", max_length=100)
    preferred_name = models.CharField("preferred name", max_length=100, blank=True)
    # A partial date of birth is stored as its first day (1 March 1950 for
    # "March 1950") with its precision alongside.
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="person_nhs_number_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_of_birth__isnull=True, date_of_birth_precision="")
                    | Q(date_of_birth__isnull=False) & ~Q(date_of_birth_precision="")
                ),
                name="person_dob_precision_with_date",
            ),
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_name_idx"),
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.given_name, self.middle_names, self.family_name) if part)


class AliasKind(models.TextChoices):
    KNOWN_AS = "known_as", "Also known as"
    PREVIOUS = "previous", "Previous name"
    SPELLING = "spelling", "Other spelling used by an agency"


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField("first name", max_length=100, blank=True)
    family_name = models.CharField("last name", max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.KNOWN_AS)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(given_name="", family_name=""), name="alias_has_a_name"),
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}".strip()


class PersonIdentifier(models.Model):
    """An agency's own reference for the person (a Mosaic id, a police PNC id, …)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=60, help_text="What the agency calls this reference, like 'Mosaic ID'")
    value = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "label", "value"], name="identifier_unique_in_agency"),
        ]

    def __str__(self):
        return f"{self.label} {self.value}"


class Address(models.Model):
    """Where the person lived, over time. An address with no end date is current."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=200)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=10, blank=True)
    lived_from = models.DateField(null=True, blank=True)
    lived_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-lived_from", "-created_at"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(lived_from__isnull=True)
                | Q(lived_until__isnull=True)
                | Q(lived_until__gte=models.F("lived_from")),
                name="address_dates_in_order",
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in (self.line_1, self.line_2, self.town, self.postcode) if part)

    @property
    def is_current(self):
        return self.lived_until is None


class Relationship(models.TextChoices):
    FAMILY = "family", "Family member"
    CARER = "carer", "Carer"
    LPA_ATTORNEY = "lpa_attorney", "Attorney under a lasting power of attorney (LPA)"
    EPA_ATTORNEY = "epa_attorney", "Attorney under an enduring power of attorney (EPA)"
    COURT_DEPUTY = "court_deputy", "Deputy appointed by the Court of Protection"
    ADVOCATE = "advocate", "Advocate"
    FRIEND = "friend", "Friend or neighbour"
    OTHER = "other", "Other"


class AttorneyType(models.TextChoices):
    PROPERTY_AND_FINANCIAL = "property_financial", "Property and financial affairs"
    HEALTH_AND_WELFARE = "health_welfare", "Health and welfare"


class RelatedPerson(models.Model):
    """Someone in the adult's life who matters to the work: family, carers, attorneys, deputies, advocates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="related_people")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField("how they are related", max_length=100, blank=True)
    attorney_type = models.CharField(max_length=20, choices=AttorneyType.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["relationship", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=["lpa_attorney", "epa_attorney"]) | Q(attorney_type=""),
                name="attorney_type_only_for_attorneys",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"

    def clean(self):
        if self.relationship == Relationship.LPA_ATTORNEY and not self.attorney_type:
            raise ValidationError({"attorney_type": "Select which kind of lasting power of attorney they hold"})


class InvolvementBasis(models.TextChoices):
    CREATED_RECORD = "created_record", "Created the person's record"
    SHARING_DECISION = "sharing_decision", "Recorded information-sharing decision"


class AgencyInvolvement(models.Model):
    """An agency's involvement with a person: the only thing that lets its users see them.

    Rows are never deleted; ending an involvement sets ``ended_at`` and keeps the history.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="involvements")
    basis = models.CharField(max_length=30, choices=InvolvementBasis.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency"],
                condition=Q(ended_at__isnull=True),
                name="one_active_involvement_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "person"], name="involvement_agency_person_idx")]

    def __str__(self):
        return f"{self.agency} involved with {self.person_id}"


class EmergencyAccess(models.Model):
    """Justified ("break-glass") access to one person's minimal record by a user whose agency is
    not involved with them (ADR 0026). It lasts until ``expires_at`` (or until a reviewer finds
    it not appropriate) and is reviewed by a manager of the lead agency and of the user's agency.

    Rows are never deleted; the reviews are rows of their own (``EmergencyAccessReview``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emergency_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The user's agency when they opened it: the agency whose managers review it as "own".
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    # The agency leading the person's open case, otherwise the agency that recorded them,
    # worked out when the access was opened (marm/people/emergency.py).
    lead_agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Set when a reviewer finds the access not appropriate while it still lasts.
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "emergency access"
        verbose_name_plural = "emergency accesses"
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("started_at")), name="emergency_access_expires"),
        ]
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="emergency_access_live_idx")]

    def __str__(self):
        return f"Emergency access by {self.user_id} to {self.person_id}"

    def clean(self):
        if len(self.reason.strip()) < EMERGENCY_REASON_MIN_LENGTH:
            raise ValidationError({"reason": EMERGENCY_REASON_MESSAGE})


# "At least a sentence": what the emergency is, in more than a word or two.
EMERGENCY_REASON_MIN_LENGTH = 20
EMERGENCY_REASON_MESSAGE = "Say what the emergency is and why you need the record, in at least a sentence"


class ReviewSide(models.TextChoices):
    LEAD = "lead", "Lead agency"
    OWN = "own", "The user's own agency"


class ReviewOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"


class EmergencyAccessReview(models.Model):
    """One side's review of an emergency access: a manager of the lead agency, or of the user's own
    agency. Each side reviews once; a review is never changed."""

    access = models.ForeignKey(EmergencyAccess, on_delete=models.PROTECT, related_name="reviews")
    side = models.CharField(max_length=10, choices=ReviewSide.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField(blank=True)

    objects = EmergencyAccessReviewQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["access", "side"], name="emergency_review_once_per_side")]

    def __str__(self):
        return f"{self.get_side_display()} review of {self.access_id}"
