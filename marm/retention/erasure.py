"""Finding and removing every record under a case, or about a person, for the retention job.

The walk follows every foreign key that points at the starting rows, and at the rows found
from them, whatever app keeps them: a record a new app hangs off a case is removed with it
without this module naming it. A few models are never removed (``KEPT``): the audit trail,
decisions (append-only, ADR 0010), the case and person rows that decisions name, and
retention's own records. If a kept row points at a row the walk would remove, the walk refuses
(``ErasureBlocked``) rather than leave a dangling reference.

Rows are removed with raw ``DELETE`` statements inside the caller's transaction: Django's
collector refuses ``PROTECT`` relations even when both ends go, and the foreign keys are checked
at commit (``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL and SQLite), so the order of the
deletes does not matter.
"""

from collections import defaultdict

# Never removed by the walk (by model label, lower case).
KEPT = frozenset(
    {
        "audit.auditevent",
        "audit.auditchainhead",
        "decisions.decision",
        "cases.case",
        "people.person",
        "retention.retentionrule",
        "retention.legalhold",
        "retention.retentiondue",
    }
)


class ErasureBlocked(Exception):
    """A kept record points at one the walk would remove: nothing is removed."""


def _label(model) -> str:
    return model._meta.label_lower


def collect(model, pks, *, kept=KEPT) -> dict:
    """Every row reachable from ``model`` rows ``pks`` through foreign keys pointing at them,
    as {model: set of pks}, the starting rows excluded."""
    found: dict = defaultdict(set)
    queue = [(model, set(pks), True)]
    while queue:
        current, ids, is_root = queue.pop()
        if not ids:
            continue
        for rel in current._meta.related_objects:
            if rel.many_to_many:
                continue  # the link rows of a many-to-many go with the rows they link (remove())
            related = rel.related_model
            rows = related._base_manager.filter(**{f"{rel.field.name}__in": ids})
            if _label(related) in kept:
                if not is_root and rows.exists():
                    raise ErasureBlocked(
                        f"{related._meta.verbose_name} rows point at {current._meta.verbose_name} rows to be removed"
                    )
                continue
            new = set(rows.values_list("pk", flat=True)) - found[related]
            if new:
                found[related] |= new
                queue.append((related, new, False))
    return {model: ids for model, ids in found.items() if ids}


def counts(found: dict) -> dict[str, int]:
    return {_label(model): len(ids) for model, ids in sorted(found.items(), key=lambda item: _label(item[0]))}


def ids_of(found: dict) -> dict[str, list[str]]:
    return {
        _label(model): sorted(str(pk) for pk in ids) for model, ids in sorted(found.items(), key=lambda i: _label(i[0]))
    }


def remove(found: dict) -> None:
    """Delete the rows found, and the link rows of their many-to-many fields."""
    for model, ids in found.items():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                through._base_manager.filter(**{f"{field.m2m_field_name()}__in": ids})._raw_delete(
                    through._base_manager.db
                )
        for rel in model._meta.related_objects:
            if rel.many_to_many and rel.through._meta.auto_created:
                through = rel.through
                name = rel.field.m2m_reverse_field_name()
                through._base_manager.filter(**{f"{name}__in": ids})._raw_delete(through._base_manager.db)
    for model, ids in found.items():
        queryset = model._base_manager.filter(pk__in=ids)
        queryset._raw_delete(queryset.db)
