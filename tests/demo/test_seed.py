import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from marm.accounts.models import User
from marm.audit.verify import verify_chain
from marm.demo.seed import DEMO_PASSWORD, DEMO_PEOPLE, PERSONAS, SAME_PERSON_RECORDS, seed_demo
from marm.demo.survey_seed import SYNTHETIC_STAFF
from marm.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_can_be_loaded_twice():
    first = seed_demo()
    assert first["people_created"] == DEMO_PEOPLE
    second = seed_demo()
    assert second["people_created"] == 0
    assert Person.objects.count() == DEMO_PEOPLE + SAME_PERSON_RECORDS
    # The personas who sign in, and the synthetic staff who answered the board's surveys.
    assert User.objects.count() == len(PERSONAS) + SYNTHETIC_STAFF
    assert verify_chain().ok


def test_every_persona_can_sign_in_and_sees_what_their_role_allows():
    seed_demo()
    request = RequestFactory().post("/sign-in/")
    seen = {}
    for persona in PERSONAS:
        user = authenticate(request, username=persona.email, password=DEMO_PASSWORD)
        assert user is not None, persona.email
        seen[persona.key] = Person.objects.visible_to(user).count()
    assert seen["practitioner"] == 41  # every adult but those known only to the police, and a second record
    assert 0 < seen["police"] < DEMO_PEOPLE
    assert seen["gp"] == 0
    assert seen["administrator"] == 0
    assert seen["board"] == 0


def test_the_demo_shows_non_engagement_and_an_escalation():
    from marm.cases.models import Case
    from marm.closure.models import EngagementAttempt, NonEngagementFlag, S42Referral

    seed_demo()
    flagged = NonEngagementFlag.objects.get(lifted_at__isnull=True).case
    assert EngagementAttempt.objects.filter(case=flagged).count() == 3
    escalated = S42Referral.objects.get().case
    assert Case.objects.get(pk=escalated.pk).status == "escalated"


def test_the_printed_key_and_a_code_from_it_sign_a_persona_in(capsys):
    """What ``make demo`` prints is enough to sign in: the password, then a code an app makes from
    the printed key (here made the way an app makes it, from the key as printed)."""
    import base64
    import re
    import time

    from django.core.management import call_command
    from django.test import Client

    from marm.accounts.two_factor import code_now
    from marm.demo.management.commands.demo import Command as DemoCommand
    from marm.demo.seed import authenticator_keys

    seed_demo()
    DemoCommand()._print_sign_ins("127.0.0.1:8000")
    printed = capsys.readouterr().out
    persona = PERSONAS[0]
    key = re.search(rf"{re.escape(persona.email)}.*?\n\s+key ([A-Z2-7 ]+)", printed).group(1).strip()
    assert key == authenticator_keys()[persona.email]
    secret = key.replace(" ", "")
    key_hex = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    client = Client()
    client.post("/sign-in/", {"username": persona.email, "password": DEMO_PASSWORD})
    response = client.post("/sign-in/code/", {"code": code_now(key_hex, at=time.time()), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    # demo_code prints the code for those without an app at hand.
    call_command("demo_code", PERSONAS[1].email)
    assert re.fullmatch(r"\d{6}\n", capsys.readouterr().out)
