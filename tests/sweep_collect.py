"""The URL sweep's collector: every URL pattern, the app that declares it, and the records
that fill its arguments (person_a's whole record). tests/test_url_sweep.py sweeps them; the
service guard test (tests/test_service_guard.py) acts on the same records."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from tests import sweep_infrastructure
from tests.administration import sweep as administration_sweep
from tests.api import sweep as api_sweep
from tests.assurance import sweep as assurance_sweep
from tests.board import sweep as board_sweep
from tests.cases import sweep as cases_sweep
from tests.chronology import sweep as chronology_sweep
from tests.closure import sweep as closure_sweep
from tests.continuity import sweep as continuity_sweep
from tests.exports import sweep as exports_sweep
from tests.history import sweep as history_sweep
from tests.linkage import sweep as linkage_sweep
from tests.meetings import sweep as meetings_sweep
from tests.people import sweep as people_sweep
from tests.plans import sweep as plans_sweep
from tests.register import sweep as register_sweep
from tests.retention import sweep as retention_sweep
from tests.rights import sweep as rights_sweep
from tests.risk import sweep as risk_sweep
from tests.sar import sweep as sar_sweep
from tests.surveys import sweep as surveys_sweep

# Every declaring module, in the order their records are built: the decision swept is
# the latest on the case when the case layer's records are read.
SWEEP_MODULES = (
    meetings_sweep,
    plans_sweep,
    risk_sweep,
    linkage_sweep,
    cases_sweep,
    chronology_sweep,
    sweep_infrastructure,
    register_sweep,
    continuity_sweep,
    closure_sweep,
    people_sweep,
    history_sweep,
    assurance_sweep,
    surveys_sweep,
    sar_sweep,
    board_sweep,
    administration_sweep,
    retention_sweep,
    api_sweep,
    exports_sweep,
    # Last: the request gathers every record the modules above made about person_a.
    rights_sweep,
)
# The administration site has its own staff sign-in and holds no people.
SKIPPED_NAMESPACES = {"admin"}


def url_patterns(resolver=None, namespace="", prefix=""):
    """Each URL pattern as (name, route), outside the skipped namespaces."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from url_patterns(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def _file(module):
    return module.__name__.replace(".", "/") + ".py"


def declared_urls(patterns, modules):
    """Each pattern as (name, route, declaring module, SweepUrl).

    Fails, naming each one, on a pattern no module declares, a declaration of a URL no
    pattern has, and a namespace claimed by two modules or by none.
    """
    problems = []
    owner = {}
    for module in modules:
        for namespace in module.NAMESPACES:
            if namespace in owner:
                first = _file(owner[namespace])
                problems.append(f"namespace {namespace!r} is claimed by both {first} and {_file(module)}")
            owner.setdefault(namespace, module)
    declared = {}
    for module in modules:
        for name, url in module.URLS.items():
            namespace = name.rpartition(":")[0]
            if owner.get(namespace) is not module:
                problems.append(f"{_file(module)} declares {name}, but does not list {namespace!r} in its NAMESPACES")
            declared[name] = (module, url)
    swept, names = [], set()
    for name, route in patterns:
        if not name:
            problems.append(f"/{route} has no name: name it so that its app can declare it")
            continue
        names.add(name)
        if name in declared:
            swept.append((name, route, *declared[name]))
            continue
        namespace = name.rpartition(":")[0]
        if namespace in owner:
            where = f"add it to URLS in {_file(owner[namespace])}"
        else:
            where = f"no sweep module lists the namespace {namespace!r}: add one (tests/sweep.py says how)"
        problems.append(f"{name} (/{route}) is not declared: {where}")
    for name, (module, _) in declared.items():
        if name not in names:
            problems.append(f"{_file(module)} declares {name}, but no URL pattern has that name: remove it")
    if problems:
        raise AssertionError("The URL sweep does not know every URL:\n" + "\n".join(problems))
    return swept


def _fill(route, arguments, module):
    def value(match):
        if match["name"] not in arguments:
            raise AssertionError(f"objects() in {_file(module)} gives no {match['name']!r} for /{route}")
        return str(arguments[match["name"]])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def build_sweep(*, person_a, accepted_case, practitioner_a, agency_b, chronology_entry_a, manager_a):
    """Each URL as (name, url, SweepUrl): person_a with an accepted case, shared in full with
    the police (agency B), and each app's records about them."""
    from marm.sharing.models import QualityTest
    from marm.sharing.services import sharing_decide

    swept = declared_urls(url_patterns(), SWEEP_MODULES)
    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="crime",
        rationale="Police enquiry",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="crime",
    )
    shared = {
        "person_a": person_a,
        "accepted_case": accepted_case,
        "practitioner_a": practitioner_a,
        "manager_a": manager_a,
        "agency_b": agency_b,
        "chronology_entry_a": chronology_entry_a,
    }
    arguments = {}
    for module in SWEEP_MODULES:
        build = getattr(module, "objects", None)
        arguments[module] = {"pk": person_a.pk, "case_pk": accepted_case.pk, **(build(shared) if build else {})}
    return [(name, _fill(route, arguments[module], module), url) for name, route, module, url in swept]
