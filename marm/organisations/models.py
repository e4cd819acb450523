from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models


class AgencyKind(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    NHS_TRUST = "nhs_trust", "NHS trust"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    CARE_PROVIDER = "care_provider", "Care provider"
    # The board sees figures, never a person's case: sharing refuses it (marm/sharing/selectors.py).
    SAFEGUARDING_ADULTS_BOARD = "sab", "Safeguarding Adults Board"
    OTHER = "other", "Other"


# NHS Organisation Data Service codes: 3 to 6 capital letters and digits
# (trusts "RX1", ICBs "QHM", sub-ICB locations "00L", GP practices "A81001").
ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters and numbers, like RX1 or A81001",
)


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    ods_code = models.CharField(
        "ODS code", max_length=6, blank=True, validators=[ods_code_validator], help_text="Optional"
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="agency_ods_code_unique"
            ),
        ]

    def __str__(self):
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self):
        return f"{self.name} ({self.agency.name})"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    DUTY_OFFICER = "duty_officer", "Duty officer"
    SUPERVISOR = "supervisor", "Supervisor"
    BOARD_OFFICER = "board_officer", "Board officer"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    """A user's role in one team. A user's agency is the agency on their account;
    memberships must be in teams of that agency."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} in {self.team}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.user_id and self.team_id and self.user.agency_id != self.team.agency_id:
            raise ValidationError({"team": "Choose a team in the user's own agency"})
