"""Gathering: every model that refers to a person is gathered or excluded with a reason, and the
gathered record holds every agency's records, in words, with other people's names marked."""

import collections

import pytest
from django.apps import apps

from marm.rights import gathering
from marm.rights.models import DisclosureItem


def _key_fields(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]


def path_to_person(model) -> str | None:
    """The shortest chain of foreign keys from the model to people.Person, as ``a__b``, or None."""
    person = apps.get_model("people", "Person")
    queue, seen = collections.deque([(model, [])]), {model}
    while queue:
        current, path = queue.popleft()
        for field in _key_fields(current):
            if field.related_model is person:
                return "__".join([*path, field.name])
            if field.related_model not in seen:
                seen.add(field.related_model)
                queue.append((field.related_model, [*path, field.name]))
    return None


def models_that_refer_to_a_person():
    person = apps.get_model("people", "Person")
    found = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        path = "pk" if model is person else path_to_person(model)
        if path:
            found[model._meta.label_lower] = path
    return found


def test_every_model_that_refers_to_a_person_is_gathered_or_excluded_with_a_reason():
    gathered = {model._meta.label_lower for model, _ in gathering.gathered_models()}
    missing = [
        f"{label} (reaches the person through {path}): gather it (declare person_path on its queryset, or add it"
        " to PERSON_PATHS in marm/rights/gathering.py) or add it to EXCLUDED with the reason"
        for label, path in sorted(models_that_refer_to_a_person().items())
        if label not in gathered and label not in gathering.EXCLUDED
    ]
    assert not missing, "Models a subject access request would miss:\n" + "\n".join(missing)


def test_the_coverage_check_names_a_model_it_would_miss(monkeypatch):
    monkeypatch.delitem(gathering.PERSON_PATHS, "plans.actionupdate")
    gathered = {model._meta.label_lower for model, _ in gathering.gathered_models()}
    assert "plans.actionupdate" in models_that_refer_to_a_person()
    assert "plans.actionupdate" not in gathered


def test_every_exclusion_and_every_path_names_a_model_that_exists():
    labels = {model._meta.label_lower for model in apps.get_models()}
    assert set(gathering.EXCLUDED) <= labels
    assert set(gathering.PERSON_PATHS) <= labels
    assert all(reason.strip() for reason in gathering.EXCLUDED.values())
    assert not set(gathering.EXCLUDED) & set(gathering.PERSON_PATHS)


@pytest.mark.django_db
def test_every_gathered_path_is_a_query_the_database_runs(person_a):
    for model, paths in gathering.gathered_models():
        gathering._rows(model, paths, person_a.pk).count()


@pytest.mark.django_db
def test_the_gathering_holds_every_agencys_records_in_words(gathered_sar, police_b):
    items = list(DisclosureItem.objects.filter(request=gathered_sar))
    by_kind = collections.defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    summaries = {item.value for item in by_kind["Chronology entries"] if item.field_name == "summary"}
    # Recorded by adult social care and by the police: the partnership answers, not one agency.
    assert summaries == {
        "Home visit: the hallway is blocked; Margaret declined help with clearing it.",
        "Called by a neighbour about smoke; no fire found.",
    }
    entry_types = {item.value for item in by_kind["Chronology entries"] if item.field_name == "entry_type"}
    assert "Police call-out" in entry_types  # the choice's words, not its code
    assert any(item.value == "Thornbury" and item.field_label == "Last name" for item in by_kind["Persons"])
    # The person themselves is never "someone else".
    assert not any(item.names_someone_else for item in by_kind["Persons"])
    # The daughter and the staff who wrote the entries may be redacted: they are marked.
    daughter = [item for item in by_kind["Related persons"] if item.value == "Beatrice Fairweather"]
    assert daughter and daughter[0].names_someone_else
    # A choice from a list ("Family member") identifies no one.
    assert not any(item.names_someone_else for item in by_kind["Related persons"] if item.field_name == "relationship")
    authors = [item for item in by_kind["Chronology entries"] if item.value == police_b.full_name]
    assert authors and all(item.names_someone_else for item in authors)
    # Nothing internal: no keys, versions or hashes.
    assert not {"id", "version", "content_hash", "submission_key"} & {item.field_name for item in items}
