from django.db import models


class VersionedModel(models.Model):
    """A record several people may edit: saves carry the version they started from
    (see marm.core.locking), so nobody silently overwrites another's change."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
