"""Bulk synthetic people for measuring marm at realistic volumes.

Everything is invented: names, addresses and postcodes come from pools built
once with Faker (en_GB) and combined with a seeded random generator, so the
same seed on an empty database gives the same people. NHS numbers are valid
(modulus 11) and unique: they come from a counter in the 9 series, which the
demo data never uses, and a later run continues after the highest one stored.

Rows are written with bulk_create, batch by batch, each batch in its own
transaction. Nothing goes through the people services, so no audit rows are
written: this is a bulk load by a named command, not anyone reading or
changing a record.
"""

import datetime
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from faker import Faker

from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
from marm.people import nhs_number
from marm.people.models import (
    Address,
    AgencyInvolvement,
    AliasKind,
    DatePrecision,
    InvolvementBasis,
    Person,
    PersonAlias,
)

AGENCY_NAME = "Scale agency {}"
TEAM_NAME = "Scale team"
USER_EMAIL = "scale-practitioner-{}@scale.example.org"
AGENCY_KINDS = [
    AgencyKind.ADULT_SOCIAL_CARE,
    AgencyKind.POLICE,
    AgencyKind.NHS_TRUST,
    AgencyKind.HOUSING,
    AgencyKind.GP_PRACTICE,
    AgencyKind.VOLUNTARY_SECTOR,
    AgencyKind.PROBATION,
    AgencyKind.CARE_PROVIDER,
]

# Dates of birth are drawn relative to a fixed day so that a seed always gives
# the same dates, whenever it is run.
REFERENCE_DATE = datetime.date(2026, 1, 1)
NHS_NUMBER_FIRST_PREFIX = 900_000_000
NHS_NUMBER_LAST_PREFIX = 999_999_999

POOL_DRAWS = 4000
YEAR_ONLY_SHARE = 0.10
NHS_NUMBER_SHARE = 0.75
ALIAS_SHARE = 0.10
MIDDLE_NAME_SHARE = 0.25
PREFERRED_NAME_SHARE = 0.05
SECOND_AGENCY_SHARE = 0.20


def _unique(values) -> list[str]:
    """Distinct values in first-seen order (a set would lose the seed's order)."""
    return list(dict.fromkeys(values))


class Pools:
    """Name and address parts, drawn once from Faker and reused for every person."""

    def __init__(self, seed: int):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.first_names = _unique(fake.first_name() for _ in range(POOL_DRAWS))
        self.last_names = _unique(fake.last_name() for _ in range(POOL_DRAWS))
        self.streets = _unique(fake.street_address() for _ in range(POOL_DRAWS))
        self.towns = _unique(fake.city() for _ in range(POOL_DRAWS))
        self.postcodes = _unique(fake.postcode() for _ in range(POOL_DRAWS))


class NhsNumbers:
    """Valid NHS numbers in order, skipping nine-digit prefixes no check digit can end."""

    def __init__(self, after: str | None):
        self.prefix = int(after[:9]) + 1 if after else NHS_NUMBER_FIRST_PREFIX

    def __next__(self) -> str:
        while self.prefix <= NHS_NUMBER_LAST_PREFIX:
            first_nine = str(self.prefix)
            self.prefix += 1
            check = nhs_number.check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"
        raise CommandError("No NHS numbers left in the range used for generated people")


def _age_in_years(rng: random.Random) -> int:
    """Adults, weighted towards older people as adults at risk often are."""
    band = rng.random()
    if band < 0.25:
        return rng.randint(18, 44)
    if band < 0.55:
        return rng.randint(45, 69)
    return rng.randint(70, 101)


def _date_of_birth(rng: random.Random) -> tuple[datetime.date, str]:
    born = REFERENCE_DATE - datetime.timedelta(days=_age_in_years(rng) * 365 + rng.randint(0, 364))
    if rng.random() < YEAR_ONLY_SHARE:
        return born.replace(month=1, day=1), DatePrecision.YEAR
    return born, DatePrecision.EXACT


class Command(BaseCommand):
    help = (
        "Bulk-load synthetic people for performance measurement: a few agencies (Scale agency 1..K) with one "
        "practitioner each, and N people with addresses, some other names and agency involvements. "
        "Same seed on an empty database, same data; running again adds N more people and reuses the agencies "
        "and users. This is a bulk load by a named command: it writes no audit rows. Never run it against a "
        "database holding real people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="How many people to add.")
        parser.add_argument("--seed", type=int, default=20261123, help="Seed for names, dates and addresses.")
        parser.add_argument("--agencies", type=int, default=4, help="How many scale agencies to use (default 4).")
        parser.add_argument("--batch", type=int, default=5000, help="People per transaction (default 5000).")

    def handle(self, *args, people, seed, agencies, batch, **options):
        if people < 1:
            raise CommandError("--people must be at least 1")
        if agencies < 1:
            raise CommandError("--agencies must be at least 1")
        if batch < 1:
            raise CommandError("--batch must be at least 1")

        started = time.perf_counter()
        users = self._agencies_and_users(agencies)
        already = Person.objects.filter(created_by__in=users).count()
        # A fresh database gets exactly the seed's data; a later run gets a
        # different but equally repeatable stream, so it does not copy the first.
        rng = random.Random(seed if already == 0 else f"{seed}:{already}")
        pools = Pools(seed)
        highest = (
            Person.objects.filter(nhs_number__gte=str(NHS_NUMBER_FIRST_PREFIX))
            .aggregate(highest=Max("nhs_number"))
            .get("highest")
        )
        numbers = NhsNumbers(highest)

        rows = 0
        done = 0
        while done < people:
            size = min(batch, people - done)
            rows += self._write_batch(rng, pools, numbers, users, first_index=already + done, size=size)
            done += size
            if options["verbosity"] >= 2 or done == people:
                self.stdout.write(f"  {done:,} of {people:,} people written")

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Person, PersonAlias, Address, AgencyInvolvement):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {people:,} people ({rows:,} rows) for {len(users)} agencies in {elapsed:.1f} s: "
                f"{rows / elapsed:,.0f} rows/second, {people / elapsed:,.0f} people/second. "
                f"The database now holds {Person.objects.count():,} people."
            )
        )

    @transaction.atomic
    def _agencies_and_users(self, count: int) -> list:
        User = get_user_model()
        users = []
        for number in range(1, count + 1):
            agency, _ = Agency.objects.get_or_create(
                name=AGENCY_NAME.format(number), defaults={"kind": AGENCY_KINDS[(number - 1) % len(AGENCY_KINDS)]}
            )
            team, _ = Team.objects.get_or_create(agency=agency, name=TEAM_NAME)
            email = USER_EMAIL.format(number)
            user = User.objects.filter(email=email).first()
            if user is None:
                # No password: sign in is not needed to measure, and an administrator can set one.
                user = User.objects.create_user(
                    email, None, full_name=f"Scale Practitioner {number}", agency=agency, job_title="Practitioner"
                )
            Membership.objects.get_or_create(user=user, team=team, role=Role.PRACTITIONER)
            users.append(user)
        return users

    @transaction.atomic
    def _write_batch(self, rng, pools, numbers, users, *, first_index: int, size: int) -> int:
        people, addresses, aliases, involvements = [], [], [], []
        agency_count = len(users)
        for index in range(first_index, first_index + size):
            creator = users[index % agency_count]
            given = rng.choice(pools.first_names)
            family = rng.choice(pools.last_names)
            middle = rng.choice(pools.first_names) if rng.random() < MIDDLE_NAME_SHARE else ""
            preferred = rng.choice(pools.first_names) if rng.random() < PREFERRED_NAME_SHARE else ""
            born, precision = _date_of_birth(rng)
            person = Person(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                given_name=given,
                middle_names=middle,
                family_name=family,
                preferred_name=preferred,
                date_of_birth=born,
                date_of_birth_precision=precision,
                nhs_number=next(numbers) if rng.random() < NHS_NUMBER_SHARE else "",
                created_by=creator,
            )
            people.append(person)

            moved_in = born + datetime.timedelta(days=rng.randint(18 * 365, (REFERENCE_DATE - born).days))
            addresses.append(
                Address(
                    person=person,
                    line_1=rng.choice(pools.streets),
                    town=rng.choice(pools.towns),
                    postcode=rng.choice(pools.postcodes),
                    lived_from=moved_in if rng.random() < 0.8 else None,
                    created_by=creator,
                )
            )

            if rng.random() < ALIAS_SHARE:
                kind = rng.choice(AliasKind.values)
                if kind == AliasKind.PREVIOUS:
                    alias = {"given_name": given, "family_name": rng.choice(pools.last_names)}
                elif kind == AliasKind.KNOWN_AS:
                    alias = {"given_name": rng.choice(pools.first_names), "family_name": ""}
                else:
                    alias = {"given_name": given, "family_name": family[:-1] + family[-1] * 2}
                aliases.append(PersonAlias(person=person, kind=kind, created_by=creator, **alias))

            involvements.append(
                AgencyInvolvement(
                    person=person,
                    agency_id=creator.agency_id,
                    basis=InvolvementBasis.CREATED_RECORD,
                    started_by=creator,
                )
            )
            if agency_count > 1 and rng.random() < SECOND_AGENCY_SHARE:
                other = users[(index + rng.randint(1, agency_count - 1)) % agency_count]
                involvements.append(
                    AgencyInvolvement(
                        person=person,
                        agency_id=other.agency_id,
                        basis=InvolvementBasis.SHARING_DECISION,
                        started_by=other,
                    )
                )

        Person.objects.bulk_create(people)
        Address.objects.bulk_create(addresses)
        PersonAlias.objects.bulk_create(aliases)
        AgencyInvolvement.objects.bulk_create(involvements)
        return len(people) + len(addresses) + len(aliases) + len(involvements)
