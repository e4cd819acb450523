"""Subject access requests (UK GDPR Art. 15; ADR 0031).

An auditor (information governance) registers the request, records how the requester's identity
was checked, gathers everything marm holds about the person (``gathering.py``), decides item by item
what is disclosed, redacted or withheld, and downloads the response (a PDF and a JSON file). Each
download is a ``SubjectAccessDisclosure``; the request is answered on the day it is recorded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.people.querysets import PersonRecordQuerySet


class RequestStatus(models.TextChoices):
    REGISTERED = "registered", "Registered: identity to check"
    GATHERING = "gathering", "Identity checked: records to gather"
    REDACTING = "redacting", "Records gathered: deciding what to disclose"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (RequestStatus.REGISTERED, RequestStatus.GATHERING, RequestStatus.REDACTING)


class Requester(models.TextChoices):
    SUBJECT = "subject", "The person themselves"
    REPRESENTATIVE = "representative", "Someone acting for them (with their authority)"
    ATTORNEY = "attorney", "Their attorney or court-appointed deputy"


class IdentityCheck(models.TextChoices):
    DOCUMENTS = "documents", "Identity documents seen"
    KNOWN = "known", "Known to the agency, confirmed in person or by a known contact"
    AUTHORITY = "authority", "Representative's authority and the person's identity both seen"
    OTHER = "other", "Another way"


class ExtensionReason(models.TextChoices):
    COMPLEX = "complex", "The request is complex"
    NUMEROUS = "numerous", "The person has made a number of requests"


class SubjectAccessRequestQuerySet(PersonRecordQuerySet):
    """Seen where the user's agency is involved with the person; only auditors work them (rules.py)."""

    person_path = "person_id"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class SubjectAccessRequest(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("date received")
    requester = models.CharField("who made the request", max_length=20, choices=Requester.choices)
    requester_name = models.CharField("requester's name", max_length=200)
    requester_contact = models.TextField("how to reach the requester")
    what_is_asked = models.TextField("what the request asks for", blank=True)
    identity_checked_on = models.DateField("identity checked on", null=True, blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_check = models.CharField(
        "how identity was checked", max_length=20, choices=IdentityCheck.choices, blank=True
    )
    identity_details = models.TextField("identity check details", blank=True)
    extension_months = models.PositiveSmallIntegerField("extended by (months)", default=0)
    extension_reason = models.CharField(max_length=20, choices=ExtensionReason.choices, blank=True)
    extension_details = models.TextField(blank=True)
    # Stored, so the list sorts and filters on it; set only by the services (dates.due_on).
    due_on = models.DateField("due on")
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.REGISTERED)
    gathered_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(extension_months__lte=2), name="sar_extension_at_most_two_months"),
            models.CheckConstraint(
                condition=Q(extension_months=0) | ~Q(extension_reason=""), name="sar_extension_has_reason"
            ),
        ]

    def __str__(self):
        return f"Subject access request SAR-{self.pk}"

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Decision(models.TextChoices):
    INCLUDE = "include", "Disclose"
    REDACT = "redact", "Redact"
    WITHHOLD = "withhold", "Withhold under an exemption"


class RedactionReason(models.TextChoices):
    THIRD_PARTY = "third_party", "It identifies another person"
    STAFF = "staff", "It names a member of staff who would not expect it disclosed"
    SERIOUS_HARM = "serious_harm", "Disclosing it would cause serious harm (health, social work data)"
    CRIME = "crime", "Disclosing it would prejudice the prevention or detection of crime"
    LEGAL_PRIVILEGE = "legal_privilege", "It is legally privileged"
    OTHER = "other", "Another exemption"


# What the response says in place of a redacted value.
REDACTED_TEXT = "[Redacted]"


class DisclosureItemQuerySet(models.QuerySet):
    person_path = "request__person_id"

    def visible_to(self, user):
        return self.filter(request__in=SubjectAccessRequest.objects.visible_to(user))


class DisclosureItem(models.Model):
    """One field of one record about the person, as gathered, with the officer's decision on it."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    kind = models.CharField(max_length=200)
    record_label = models.CharField(max_length=300)
    field_name = models.CharField(max_length=100)
    field_label = models.CharField(max_length=200)
    value = models.TextField()
    # The value may identify someone else: another adult, a relative, a member of staff.
    names_someone_else = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.INCLUDE)
    reason = models.CharField(max_length=20, choices=RedactionReason.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = DisclosureItemQuerySet.as_manager()

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="disclosure_item_position_unique"),
            models.CheckConstraint(
                condition=Q(decision="include", reason="") | (~Q(decision="include") & ~Q(reason="")),
                name="disclosure_item_reason_when_not_disclosed",
            ),
        ]

    def __str__(self):
        return f"{self.record_label}: {self.field_label}"


class DisclosureFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class SubjectAccessDisclosure(models.Model):
    """A response downloaded to be given to the person: what went, in which form, by whom."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.PROTECT, related_name="disclosures")
    format = models.CharField(max_length=4, choices=DisclosureFormat.choices)
    sha256 = models.CharField(max_length=64)
    items_disclosed = models.PositiveIntegerField()
    items_redacted = models.PositiveIntegerField()
    items_withheld = models.PositiveIntegerField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.get_format_display()} response to {self.request}"
