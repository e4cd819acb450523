import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from marm.organisations.models import Agency, AgencyKind
from marm.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["RX1", "A81001", "00L", "QHM"])
def test_ods_codes_in_the_published_formats_are_accepted(code):
    Agency(name=f"Agency {code}", kind=AgencyKind.NHS_TRUST, ods_code=code).full_clean()


@pytest.mark.parametrize("code", ["rx1", "A8", "A81001X", "RX-1"])
def test_malformed_ods_codes_get_a_clear_error(code):
    with pytest.raises(ValidationError) as error:
        Agency(name="An agency", kind=AgencyKind.NHS_TRUST, ods_code=code).full_clean()
    assert (
        "Enter an ODS code of 3 to 6 capital letters and numbers, like RX1 or A81001"
        in (error.value.message_dict["ods_code"])
    )


def test_the_administration_site_has_no_people_in_it():
    assert Person not in admin.site._registry
    assert Agency in admin.site._registry


def test_administrators_manage_agencies_and_others_cannot(client_for, administrator, manager_a):
    assert client_for(administrator).get("/admin/organisations/agency/").status_code == 200
    manager_a.is_staff = True
    manager_a.save()
    assert client_for(manager_a).get("/admin/organisations/agency/").status_code == 403


def test_an_administrator_can_add_an_agency_and_bad_codes_are_explained(client_for, administrator):
    client = client_for(administrator)
    bad = client.post(
        "/admin/organisations/agency/add/",
        {
            "name": "New Trust",
            "kind": "nhs_trust",
            "ods_code": "rx 1",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert "Enter an ODS code" in bad.content.decode()
    assert not Agency.objects.filter(name="New Trust").exists()
    good = client.post(
        "/admin/organisations/agency/add/",
        {
            "name": "New Trust",
            "kind": "nhs_trust",
            "ods_code": "RX1",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert good.status_code == 302
    assert Agency.objects.filter(name="New Trust", ods_code="RX1").exists()
