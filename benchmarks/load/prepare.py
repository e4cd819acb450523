"""Users for the load benchmark: N practitioners and M duty officers with known passwords and
authenticator keys, in the agency that leads the most cases, and the family names of people it is
involved with (what the practitioners type into the person search).

Run by run.py before each run, with the benchmark's settings and database in the environment:

    DJANGO_SETTINGS_MODULE=benchmarks.load.settings .venv/bin/python benchmarks/load/prepare.py \
        --practitioners 40 --duty-officers 10 --out <dir>/users.json

``--count-entries`` prints how many chronology entries the load users have written.

Users are ``load-practitioner-<n>@load.example.org`` and ``load-duty-<n>@load.example.org``: made on
the first run, given a new random password and a new authenticator key on every run (the file is
written readable by its owner only). Each locust user signs in as its own marm user, as a code is
accepted once per authenticator. Only ever point it at a database of synthetic data.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.load.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from marm.accounts.two_factor import AUTHENTICATOR  # noqa: E402
from marm.cases.models import CaseAgency  # noqa: E402
from marm.chronology.models import ChronologyEntry  # noqa: E402
from marm.organisations.models import Agency, Membership, Role, Team  # noqa: E402
from marm.people.models import AgencyInvolvement  # noqa: E402

EMAIL = "load-{kind}-{n}@load.example.org"
SEARCH_NAMES = 200


def lead_agency() -> Agency:
    """The agency taking part fully in the most cases (the demo's adult social care; a scale agency)."""
    top = (
        CaseAgency.objects.filter(ended_at__isnull=True)
        .values("agency")
        .annotate(cases=Count("id"))
        .order_by("-cases", "agency")
        .first()
    )
    if top is None:
        sys.exit("The database has no cases: load the demo (seed_demo) or generate_scale --cases first")
    return Agency.objects.get(pk=top["agency"])


def casework_team(agency: Agency) -> Team:
    """The agency's team with the most practitioners: where its casework is done."""
    team = (
        Team.objects.filter(agency=agency)
        .annotate(practitioners=Count("memberships", filter=Q(memberships__role=Role.PRACTITIONER)))
        .order_by("-practitioners", "pk")
        .first()
    )
    if team is None:
        sys.exit(f"{agency.name} has no team")
    return team


def load_user(*, kind: str, n: int, role: str, agency: Agency, team: Team) -> dict:
    User = get_user_model()
    email = EMAIL.format(kind=kind, n=n)
    password = secrets.token_urlsafe(18)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, full_name=f"Load {kind.replace('-', ' ')} {n}", agency=agency, job_title="Load test"
        )
    else:
        user.set_password(password)
        user.agency = agency
        user.is_active = True
        user.save(update_fields=["password", "agency", "is_active"])
    Membership.objects.filter(user=user).exclude(team=team, role=role).delete()
    Membership.objects.get_or_create(user=user, team=team, role=role)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
    return {"email": email, "password": password, "key": device.key, "step": device.step, "digits": device.digits}


def search_names(agency: Agency) -> list[str]:
    names = (
        AgencyInvolvement.objects.filter(agency=agency, ended_at__isnull=True)
        .order_by("?")
        .values_list("person__family_name", flat=True)[:SEARCH_NAMES]
    )
    return sorted(set(names))


def load_entries() -> int:
    """Chronology entries written by load users: counted before and after a run, the rows added must
    be at least the entries the run was told were saved."""
    return ChronologyEntry.objects.filter(author__email__endswith="@load.example.org").count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--practitioners", type=int, default=40)
    parser.add_argument("--duty-officers", type=int, default=10)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--count-entries", action="store_true", help="print the load users' chronology entries")
    args = parser.parse_args()
    if args.count_entries:
        print(load_entries())
        return
    if args.out is None:
        parser.error("--out is needed to make the users")

    agency = lead_agency()
    team = casework_team(agency)
    with transaction.atomic():
        practitioners = [
            load_user(kind="practitioner", n=n, role=Role.PRACTITIONER, agency=agency, team=team)
            for n in range(1, args.practitioners + 1)
        ]
        duty = [
            load_user(kind="duty", n=n, role=Role.DUTY_OFFICER, agency=agency, team=team)
            for n in range(1, args.duty_officers + 1)
        ]
    names = search_names(agency)
    if not names:
        sys.exit(f"{agency.name} is involved with nobody: nothing to search for")
    document = {"agency": agency.name, "team": team.name, "practitioners": practitioners, "duty": duty, "names": names}
    args.out.touch(mode=0o600)
    args.out.write_text(json.dumps(document, indent=1), encoding="utf-8")
    print(f"{len(practitioners)} practitioners and {len(duty)} duty officers in {team}; {len(names)} names to search")


if __name__ == "__main__":
    main()
