from marm.audit.models import AuditEvent


def events_for_person(*, person_id):
    """Every audited event about one person, newest first.

    Callers must already have established that the user may see the person.
    """
    return (
        AuditEvent.objects.filter(person_id=str(person_id))
        .select_related("actor_user", "actor_agency")
        .order_by("-seq")
    )
