"""Services check what they are handed (marm.access.guard.acts_on).

Every write service that acts on a record about a person or a case declares it,
and refuses an acting user whose agency may not see that record, whoever calls
it: a view, the API, a command. The list of services is read from the code, so
a new service is checked as soon as it exists.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.db import models

import marm
from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent

# Arguments that name a record about a person, with the model each names when the
# service does not say it with an annotation.
RECORD_ARGUMENTS = {
    "person": "people.Person",
    "other": "people.Person",
    "case": "cases.Case",
    "case_agency": "cases.CaseAgency",
    "key_action": "cases.KeyAction",
    "involvement": "people.AgencyInvolvement",
    "amends": "decisions.Decision",
    "link": "linkage.PersonLink",
    "meeting": "meetings.Meeting",
    "item": "meetings.MinutesItem",
    "invitation": "meetings.Invitation",
    "action": "plans.Action",
    "entry": "register.RegisterEntry",
    "process": "register.RegisterProcess",
    "alert": "register.ContactAlert",
    "version": "risk.RiskAssessmentVersion",
    "aspect": "risk.AspectAssessment",
    "capacity_assessment": "risk.CapacityAssessment",
    "copy": "risk.AdultCopy",
    "referral": "closure.S42Referral",
}


# Models a service may be handed that are not about a person, with why.
NOT_ABOUT_A_PERSON = {
    "notifications.Notification": "a user's own notice: it names no adult, and the service opens only the user's own",
    "organisations.Team": "a team of the user's own agency: its settings hold no one's record",
    # The board's business plan (003) names no adult: the board sees aggregates, never a person.
    "board.BusinessPlan": "the board's business plan for a year: priorities and actions, about no one",
    "board.Priority": "a priority of the board's business plan, about no one",
    "board.Objective": "an objective of the board's business plan, about no one",
    "board.PlanAction": "an action of the board's business plan, about no one",
    # A user's own API token (ADR 0034): names no adult; the service revokes only the acting user's own.
    "api.ApiToken": "a user's own API token: it names no adult, and the service touches only the user's own",
}


def _service_modules():
    for app in pkgutil.iter_modules(marm.__path__):
        try:
            module = importlib.import_module(f"marm.{app.name}.services")
        except ModuleNotFoundError:
            continue
        yield module
        if hasattr(module, "__path__"):
            for sub in pkgutil.iter_modules(module.__path__):
                if not sub.name.startswith("_"):  # helpers shared by the package's services
                    yield importlib.import_module(f"{module.__name__}.{sub.name}")


def _services():
    """Public functions defined in a services module that take an acting user."""
    found = {}
    for module in _service_modules():
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            if "acting_user" in inspect.signature(function).parameters:
                found[f"{module.__name__}.{name}"] = function
    return found


def _model_of(function, argument):
    annotation = inspect.signature(function).parameters[argument].annotation
    if isinstance(annotation, type) and issubclass(annotation, models.Model):
        label = annotation._meta.label
    else:
        label = RECORD_ARGUMENTS.get(argument)
    return None if label in NOT_ABOUT_A_PERSON else label


def _record_arguments(function):
    return [name for name in inspect.signature(function).parameters if _model_of(function, name)]


SERVICES = _services()
GUARDED = sorted(
    (path, argument)
    for path, function in SERVICES.items()
    for argument, _ in getattr(function, "acts_on", ())
    if _model_of(function, argument)
)


def test_the_services_are_found():
    assert "marm.cases.services.case_screen" in SERVICES
    assert "marm.people.services.person_update" in SERVICES
    assert len(GUARDED) > 60


def test_every_service_declares_the_records_it_acts_on():
    undeclared = []
    for path, function in SERVICES.items():
        declared = {name for name, _ in getattr(function, "acts_on", ())}
        missing = [name for name in _record_arguments(function) if name not in declared]
        if missing:
            undeclared.append(f"{path}: {', '.join(missing)}")
    assert not undeclared, "Services that act on a record without @acts_on:\n" + "\n".join(undeclared)


@pytest.mark.django_db
def test_Z2_every_guarded_service_refuses_a_record_the_acting_user_may_not_see(sweep_urls, gp_c, practitioner_a):
    """gp_c works with adults but their agency is not involved with person_a: each service, handed one
    of person_a's records, refuses before it does anything, and the refusal is audited."""
    from django.apps import apps

    not_refused = []
    for path, argument in GUARDED:
        function = SERVICES[path]
        model = apps.get_model(_model_of(function, argument))
        record = model._default_manager.order_by("pk").first()
        assert record is not None, f"The sweep's world has no {model.__name__}: add one for {path}"
        denied_before = AuditEvent.objects.filter(actor_user=gp_c, action=AuditAction.DENIED).count()
        try:
            function(acting_user=gp_c, **{argument: record})
        except RecordNotVisible:
            denied = AuditEvent.objects.filter(actor_user=gp_c, action=AuditAction.DENIED).count() - denied_before
            if denied != 1:
                not_refused.append(f"{path}({argument}=...): refused with {denied} DENIED rows, not 1")
        except Exception as error:  # noqa: BLE001 (any other outcome is the failure this test reports)
            not_refused.append(f"{path}({argument}=...): {type(error).__name__}: {error}")
        else:
            not_refused.append(f"{path}({argument}=...): not refused")
    assert not not_refused, "\n".join(not_refused)
