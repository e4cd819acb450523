"""The one guarded path to a record about a person (ADR 0003).

Reads: every selector that fetches one person, case, or record under them calls
``fetch_for_user``. It reads through the model's scope (``visible_to(user)`` or
a stricter scope the queryset offers), writes a VIEW audit row with the person's
id and the purpose, writes a DENIED row when the record exists but is hidden,
and raises the same 404 either way, so nobody learns that a hidden record exists.

Writes: every service that reads or changes a record under a person or case
declares the record with ``@acts_on("case")`` (or ``@acts_on(role="case")`` to
check the case a record hangs off). Before the service runs, the record is
checked through the same scope for its ``acting_user``: a caller (a view, the
API, a command) cannot act on what its user may not see. Named system jobs act
for the whole partnership and are not scoped.

How a record reaches its person is declared once, on its queryset class, as
``person_path`` (``"pk"`` for a person, ``"person_id"`` for most records,
``"case__person_id"`` for records under a case).
"""

import functools
import inspect
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record


class RecordNotVisible(Http404):
    """The acting user may not see the record: a 404 for a view, a refusal for any other caller."""


class PurposeRequired(PermissionDenied):
    """The user may see the record but must say why first (a duty officer, ADR 0017). The app that
    asks turns it into its purpose page; anywhere else it is a 403, never the record."""

    def __init__(self, person_id):
        super().__init__("Say why you need the full record")
        self.person_id = person_id


# Checks on a full-record read that may ask for more than the scope does: each is
# ``(applies_to(user), purpose(user=..., person_id=..., purpose=...))``, the second returning
# the purpose to audit or raising PurposeRequired. Apps above fill this in their ready(), as
# they do the page panels (marm/core/panels.py); this module names no app.
_read_checks: dict[str, tuple[Callable, Callable]] = {}


def register_read_check(name: str, *, applies_to: Callable, purpose: Callable) -> None:
    """Add a check to every full-record read; the same name again replaces it (``ready()`` may run twice)."""
    _read_checks[name] = (applies_to, purpose)


def _checked_purpose(*, user, person_id, purpose: str) -> str:
    for applies_to, check in _read_checks.values():
        if applies_to(user):
            purpose = check(user=user, person_id=person_id, purpose=purpose)
    return purpose


def parse_pk(model, pk):
    """The primary key as the model stores it, or None when ``pk`` cannot be one (a 404, never a 500)."""
    if pk is None or pk == "":
        return None
    try:
        return model._meta.pk.to_python(pk)
    except (ValidationError, TypeError, ValueError):
        return None


def _follow(obj, path: str):
    """Read a ``a__b_id`` path from an instance (``pk`` reads the primary key)."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def person_path_of(queryset) -> str:
    path = getattr(queryset, "person_path", None)
    if path is None:
        raise TypeError(f"{type(queryset).__name__} does not declare person_path: the guarded path needs it")
    return path


def _refuse(*, user, rows, person_path: str, purpose: str) -> None:
    """Audit a refused read of a record that exists (in ``rows``, before the scope); say nothing about
    one that does not."""
    found = rows.values_list("pk", person_path).first()
    if found is not None and not isinstance(user, SystemActor):
        audit_record(
            actor=user,
            action=AuditAction.DENIED,
            object_type=rows.model._meta.label_lower,
            object_id=str(found[0]),
            person_id=found[1],
            purpose=purpose,
        )


def fetch_for_user(
    *,
    user,
    model,
    pk=None,
    lookup: dict | None = None,
    purpose: str = "",
    queryset=None,
    scope: str = "visible_to",
    audit_view: bool = True,
    not_found: str = "Not found",
    role_allows: bool = True,
    full_record: bool = True,
):
    """The record if ``user`` may see it through ``scope``; otherwise the same 404 as for a record that
    does not exist. The record is named by ``pk`` or, for one found by another key (a version's number,
    the open draft), by ``lookup``; ``queryset`` narrows where it is looked for (the case already read).

    The view is audited with the person's id and purpose; a refused read of a record that exists is
    audited as DENIED. ``role_allows=False`` hides the record like any other from a user whose role
    does not open this kind of page (the duty card is for duty officers). ``full_record=False`` marks
    a minimal read (the duty card) that the registered read checks do not ask a purpose for.

    A caller that checks a further permission before counting the read passes ``audit_view=False`` and
    calls ``view_record`` once the check has passed; a record read under a case or entry already read
    (and audited) passes it too, so one page is one VIEW row."""
    base = queryset if queryset is not None else model._default_manager.all()
    person_path = person_path_of(base)
    if lookup is None:
        key = parse_pk(model, pk)
        lookup = {"pk": key} if key is not None else None
    found = getattr(base, scope)(user).filter(**lookup).first() if lookup is not None and role_allows else None
    if found is None:
        if lookup is not None:
            _refuse(user=user, rows=base.filter(**lookup), person_path=person_path, purpose=purpose)
        raise Http404(not_found)
    if audit_view:
        view_record(user=user, obj=found, purpose=purpose, full_record=full_record)
    return found


def view_record(*, user, obj, purpose: str = "", full_record: bool = True) -> None:
    """The VIEW audit row for a record already fetched through ``fetch_for_user``. A full-record read
    first passes the registered read checks, which may ask for a purpose (``PurposeRequired``)."""
    person_id = _follow(obj, person_path_of(type(obj)._default_manager.all()))
    if full_record:
        purpose = _checked_purpose(user=user, person_id=person_id, purpose=purpose)
    audit_record(actor=user, action=AuditAction.VIEW, obj=obj, person_id=person_id, purpose=purpose)


def strictest_scope(queryset) -> str:
    """Services act on the whole record: a case needs full access, not the name-only share."""
    return "fully_visible_to" if hasattr(queryset, "fully_visible_to") else "visible_to"


def require_visible(user, obj, *, purpose: str = "") -> None:
    """Refuse (``RecordNotVisible``, audited as DENIED) unless ``user`` sees ``obj`` through its scope."""
    if obj is None or isinstance(user, SystemActor):
        return
    model = type(obj)
    base = model._default_manager.all()
    if not hasattr(base, "visible_to"):
        raise TypeError(f"{model.__name__} has no visible_to(user): guard the record it hangs off instead")
    if not getattr(base, strictest_scope(base))(user).filter(pk=obj.pk).exists():
        _refuse(user=user, rows=base.filter(pk=obj.pk), person_path=person_path_of(base), purpose=purpose)
        raise RecordNotVisible(f"{model._meta.verbose_name} not found")


def acts_on(*names: str, unless=None, **through: str):
    """Declare the records a service acts on; each is checked for ``acting_user`` before the service runs.

    ``@acts_on("case")`` checks the ``case`` argument itself; ``@acts_on(item="meeting__case")`` checks
    ``item.meeting.case`` (for records whose own model has no scope). A None argument is not checked
    (an optional record the service looks up itself). ``unless`` names a predicate on the user for a
    role that acts without seeing the adult by design (an administrator linking records from the
    possible-duplicates report, ADR 0014); the service's own permission check still applies."""
    checks = [(name, "") for name in names] + list(through.items())

    def decorate(service):
        signature = inspect.signature(service)
        for name, _ in checks:
            if name not in signature.parameters:
                raise TypeError(f"{service.__qualname__} has no argument {name!r} to guard")

        @functools.wraps(service)
        def guarded(*args, **kwargs):
            user = kwargs.get("acting_user")
            if unless is not None and not isinstance(user, SystemActor) and user is not None and unless(user):
                return service(*args, **kwargs)
            for name, path in checks:
                record = kwargs.get(name)
                if record is not None and path:
                    record = _follow(record, path)
                require_visible(user, record, purpose=f"Refused: {service.__name__}")
            return service(*args, **kwargs)

        guarded.acts_on = tuple(checks)
        return guarded

    return decorate
