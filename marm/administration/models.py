"""Requests for a role that sees adults: an administrator asks, a manager of the agency decides.

A role whose work is with adults (``marm.access.roles.PEOPLE_ROLES``) is granted only when two
people agree: the administrator who asks and a manager of the team's agency who agrees. The
request is kept, whatever the outcome, with who decided, when and why.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from marm.organisations.models import Role


class RequestOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for a manager"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class RoleRequest(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_requests")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(help_text="Why the user needs this role")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=RequestOutcome.choices, default=RequestOutcome.PENDING)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One open request for the same role in the same team.
            models.UniqueConstraint(
                fields=["user", "team", "role"],
                condition=models.Q(outcome="pending"),
                name="role_request_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} in {self.team} for {self.user}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == RequestOutcome.PENDING
