"""Time the import preview of a 500-row file with and without Splink's scores (ADR 0037).

    .venv/bin/python benchmarks/bench_import.py [--people 3000] [--rows 500] [--repeats 3]

Builds a fresh SQLite database in a temporary directory (removed afterwards), fills it with
``generate_scale`` and a second record, with a slip, for one person in twenty (another agency
that did not find the first: what the nightly run exists to find, and what its model learns
from), runs the nightly duplicates job once (which trains and keeps the model),
then times ``import_preview_for_user`` for one file as a manager of the first scale agency:
once with the kept model, once with none, alternately, ``--repeats`` times each. The file is
half people the agency sees, written with a slip (a letter dropped from the last name, the
year of birth one out, or as recorded), half people marm does not hold. It also times
Splink's ``score_pair``, one call per pair, on a few pairs, for the per-pair alternative.
Everything is synthetic; the load average is printed before and after.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_DATA = tempfile.mkdtemp(prefix="marm-bench-import-")
os.environ["DATABASE_URL"] = f"sqlite:///{Path(_DATA) / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marm.config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from faker import Faker  # noqa: E402

from marm.audit.services import SystemActor  # noqa: E402
from marm.demo.management.commands.generate_scale import AGENCY_NAME  # noqa: E402
from marm.linkage import matching, selectors  # noqa: E402
from marm.linkage.importing import ImportRow  # noqa: E402
from marm.linkage.services import duplicates_find  # noqa: E402
from marm.organisations.models import Agency, Membership, Role, Team  # noqa: E402
from marm.people.models import AgencyInvolvement, DatePrecision, InvolvementBasis, Person  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=3000, help="Generated people (default 3,000).")
    parser.add_argument("--rows", type=int, default=500, help="Rows in the file (default 500).")
    parser.add_argument("--repeats", type=int, default=3, help="Timed previews with and without Splink (default 3).")
    parser.add_argument("--seed", type=int, default=17, help="Seed for the file's rows.")
    return parser.parse_args(argv)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def second_records(share: float = 0.05, seed: int = 5) -> int:
    """Another agency's record of some generated people: a letter dropped from the last name, the
    year of birth one out, or no NHS number."""
    import uuid

    rng = random.Random(seed)
    people = list(Person.objects.select_related("created_by").order_by("pk"))
    others = {a.pk: a for a in Agency.objects.filter(name__startswith=AGENCY_NAME[:-2])}
    users = {u.agency_id: u for u in get_user_model().objects.filter(agency_id__in=others)}
    made, involvements = [], []
    for person in rng.sample(people, int(len(people) * share)):
        family, born = person.family_name, person.date_of_birth
        slip = rng.randrange(3)
        if slip == 0 and len(family) > 3:
            at = rng.randrange(len(family))
            family = family[:at] + family[at + 1 :]
        elif slip == 1 and born and (born.month, born.day) != (2, 29):
            born = born.replace(year=born.year + 1)
        creator = users[rng.choice([pk for pk in users if pk != person.created_by.agency_id])]
        second = Person(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            given_name=person.given_name,
            family_name=family,
            date_of_birth=born,
            date_of_birth_precision=person.date_of_birth_precision,
            nhs_number="",
            created_by=creator,
        )
        made.append(second)
        involvements.append(
            AgencyInvolvement(
                person=second, agency_id=creator.agency_id, basis=InvolvementBasis.CREATED_RECORD, started_by=creator
            )
        )
    Person.objects.bulk_create(made)
    AgencyInvolvement.objects.bulk_create(involvements)
    return len(made)


def manager():
    agency = Agency.objects.get(name=AGENCY_NAME.format(1))
    user = get_user_model().objects.create(
        email="bench-manager@scale.example.org", full_name="Bench Manager", agency=agency
    )
    Membership.objects.create(user=user, team=Team.objects.filter(agency=agency).first(), role=Role.MANAGER)
    return get_user_model().objects.get(pk=user.pk)


def file_rows(user, count: int, seed: int) -> list[ImportRow]:
    """Half the agency's people with a slip, half people marm does not hold."""
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    seen = list(
        Person.objects.visible_to(user).filter(date_of_birth_precision=DatePrecision.EXACT).order_by("pk")[: count * 4]
    )
    rows = []
    for number, person in enumerate(rng.sample(seen, count // 2), start=2):
        family, dob = person.family_name, person.date_of_birth
        slip = number % 3
        if slip == 0 and len(family) > 3:
            at = rng.randrange(len(family))
            family = family[:at] + family[at + 1 :]
        elif slip == 1 and (dob.month, dob.day) != (2, 29):
            dob = dob.replace(year=dob.year + 1)
        rows.append(_row(number, person.given_name, family, dob))
    while len(rows) < count:
        rows.append(_row(len(rows) + 2, fake.first_name(), fake.last_name(), fake.date_of_birth(minimum_age=18)))
    return rows


def _row(number, given, family, dob) -> ImportRow:
    return ImportRow(
        number=number,
        agency_reference=f"BENCH-{number}",
        given_name=given,
        middle_names="",
        family_name=family,
        date_of_birth=dob,
        nhs_number="",
        address_line_1="",
        address_line_2="",
        town="",
        postcode="",
    )


def preview(user, rows, model) -> tuple[float, dict]:
    started = time.perf_counter()
    matches = selectors.import_preview_for_user(user=user, rows=rows, reference_label="Bench ID", model=model)
    elapsed = time.perf_counter() - started
    counts: dict = {}
    for match in matches:
        counts[match.classification] = counts.get(match.classification, 0) + 1
    counts["pairs scored"] = sum(len(match.probabilities) for match in matches)
    return elapsed, counts


def per_pair_seconds(model, pairs: int = 20) -> float:
    """Splink's score_pair, one call per pair: the alternative to one run for the whole file."""
    import logging

    import pandas as pd
    from splink import DuckDBAPI, Linker

    settings = {
        **model.settings,
        "comparisons": [matching._without_term_frequencies(c) for c in model.settings["comparisons"]],
        "link_type": "link_only",
    }
    people = list(Person.objects.exclude(date_of_birth=None).order_by("pk")[: pairs * 2])
    records = [
        matching.record(
            p.pk,
            given_name=p.given_name,
            family_name=p.family_name,
            date_of_birth=p.date_of_birth,
            exact_date=True,
            postcode="",
            nhs_number=p.nhs_number,
        )
        for p in people
    ]
    db_api = DuckDBAPI()
    frame = pd.DataFrame.from_records(records, columns=matching.COLUMNS)
    linker = Linker(
        [db_api.register(frame, dataset_display_name="a"), db_api.register(frame, dataset_display_name="b")],
        settings,
        log_level=logging.WARNING,
    )
    started = time.perf_counter()
    for left, right in zip(records[:pairs], records[pairs:], strict=True):
        linker.inference.score_pair(left, right).as_pandas_dataframe()
    return (time.perf_counter() - started) / pairs


def main(argv=None):
    args = parse_args(argv)
    try:
        print(f"Python {platform.python_version()}, SQLite, {os.cpu_count()} cores; load before: {load()}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("generate_scale", people=args.people, verbosity=0)
        seconds = second_records()
        elapsed = time.perf_counter() - started
        print(f"{Person.objects.count():,} people ({seconds:,} second records) in {elapsed:.1f} s")
        started = time.perf_counter()
        found = duplicates_find(actor=SystemActor("bench_import"))
        model = selectors.linkage_model_for_import()
        print(f"Nightly run (train, score, keep the model): {time.perf_counter() - started:.1f} s, {found} pairs")
        user = manager()
        rows = file_rows(user, args.rows, args.seed)
        preview(user, rows[:20], model)  # warm-up: imports, DuckDB, caches
        with_splink, without = [], []
        for _ in range(args.repeats):
            elapsed, counts_with = preview(user, rows, model)
            with_splink.append(elapsed)
            elapsed, counts_without = preview(user, rows, None)
            without.append(elapsed)
        plain, scored = statistics.median(without), statistics.median(with_splink)
        print(f"Preview of {len(rows)} rows, median of {args.repeats}:")
        print(f"  tolerant search only: {plain:.2f} s  {sorted(counts_without.items())}")
        print(f"  with Splink's scores: {scored:.2f} s  {sorted(counts_with.items())}")
        print(f"  ratio: {scored / plain:.2f}; Splink's part: {scored - plain:.2f} s")
        each = per_pair_seconds(model)
        pairs = counts_with["pairs scored"]
        print(f"score_pair, one call a pair: {each * 1000:.0f} ms a pair ({pairs} pairs: {each * pairs:.0f} s)")
        print(f"Load after: {load()}")
    finally:
        shutil.rmtree(_DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
