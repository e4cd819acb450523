"""Optimistic locking for VersionedModel records."""

from django.db.models import F
from django.utils import timezone


class StaleEditError(Exception):
    """The record changed since the editor loaded it."""

    def __init__(self, current):
        super().__init__("This record has been changed by someone else since you opened it.")
        self.current = current


def save_if_current(instance, *, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` only if the stored version is still ``expected_version``.

    The check and the write are one UPDATE, so two concurrent saves cannot both pass.
    On success the instance's version is bumped; on a conflict StaleEditError carries
    the record as it now stands.
    """
    model = type(instance)
    fields = list(fields)
    # QuerySet.update() skips auto_now: stamp those fields here.
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            setattr(instance, field.attname, now)
            if field.attname not in fields:
                fields.append(field.attname)
    values = {name: getattr(instance, name) for name in fields}
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise StaleEditError(model._base_manager.get(pk=instance.pk))
    instance.version = expected_version + 1
