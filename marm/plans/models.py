"""The plan of a case: SMART actions with their progress, and the contingency and escalation plan.

000 Appendix A stage 2: "Agree a SMART action plan, with timescales and a named
lead against each action" and "Agree a contingency and an escalation plan";
stage 3 reviews and revises both.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from marm.cases.querysets import CaseRecordQuerySet
from marm.core.models import VersionedModel
from marm.plans.querysets import ActionQuerySet
from marm.plans.vocab import LIVE_STATUSES, ActionSource, ActionStatus, EscalationRoute, TriggerKind


class Action(VersionedModel):
    """One SMART action: what, a named lead, their agency, a due date and the risks it addresses.

    ``status`` is the latest ActionUpdate's status, kept by the services; the
    updates are the trail. Overdue is computed from the due date, never stored.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    what = models.TextField("what will be done")
    # A named lead: a marm user, or a named person in an agency who does not use marm.
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    risk_aspects = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    source = models.CharField(max_length=20, choices=ActionSource.choices, default=ActionSource.CASE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(lead_user=None) | ~Q(lead_name=""), name="action_has_named_lead"),
        ]
        indexes = [
            models.Index(fields=["lead_user", "status", "due_date"], name="action_owner_idx"),
            models.Index(fields=["status", "due_date"], name="action_due_idx"),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def lead_label(self) -> str:
        return self.lead_user.full_name if self.lead_user_id else self.lead_name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_live and self.due_date < today


class ActionUpdate(models.Model):
    """One step in an action's trail: progress, a change of status, or a revision. Never edited."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField()
    # What a revision changed, as {"field": [before, after]}.
    changes = models.JSONField(default=dict, blank=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()}: {self.note[:40]}"


class ContingencyPlan(models.Model):
    """One version of the contingency and escalation plan; the newest is current. Never edited."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="contingency_plans")
    number = models.PositiveIntegerField()
    summary = models.TextField(blank=True, help_text="What the plan is for, in a sentence or two")
    agreed_at_meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="contingency_plans"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="contingency_version_once")]

    def __str__(self):
        return f"Contingency plan v{self.number} for {self.case_id}"


class ContingencyTrigger(models.Model):
    """If this happens, do this, tell these people, and escalate this way."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.PROTECT, related_name="triggers")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=TriggerKind.choices)
    threshold = models.CharField(max_length=200, blank=True, help_text="For example: two missed contacts in a week")
    what_to_do = models.TextField()
    who_to_contact = models.TextField()
    escalation_route = models.CharField(max_length=30, choices=EscalationRoute.choices)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="trigger_position_once")]

    def __str__(self):
        return self.get_kind_display()
