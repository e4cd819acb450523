"""factory_boy factories: synthetic, en_GB, and valid unless a test says otherwise."""

import random

import factory
from django.contrib.auth import get_user_model
from faker import Faker

from marm.accounts.two_factor import authenticator_create
from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
from marm.people import nhs_number
from marm.people.models import AgencyInvolvement, DatePrecision, InvolvementBasis, Person

TEST_PASSWORD = "a-long-test-password"
_fake = Faker("en_GB")


def valid_nhs_number(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    while True:
        first_nine = f"{rng.randint(100000000, 999999999)}"
        check = nhs_number.check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"{_fake.city()} Agency {n}")
    kind = AgencyKind.ADULT_SOCIAL_CARE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        team = Team.objects.filter(agency=self.agency).first() or TeamFactory(agency=self.agency)
        for role in extracted if extracted is not None else [Role.PRACTITIONER]:
            Membership.objects.create(user=self, team=team, role=role)
        self.save()

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        """Every user has an authenticator app set up, unless ``authenticator=False`` (first sign-in)."""
        if create and extracted is not False:
            authenticator_create(user=self)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person, with the creating user's agency involved (as person_create does)."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=95)
    date_of_birth_precision = DatePrecision.EXACT
    nhs_number = factory.LazyFunction(valid_nhs_number)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def involved(self, create, extracted, **kwargs):
        if not create:
            return
        agencies = extracted if extracted is not None else [self.created_by.agency]
        for agency in agencies:
            AgencyInvolvement.objects.create(
                person=self, agency=agency, basis=InvolvementBasis.CREATED_RECORD, started_by=self.created_by
            )
