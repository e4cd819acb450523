"""000 Appendix C: the register shows the other processes a screening routed the person to. It
reads the case layer's record of them (one record, ended once), so nothing is re-keyed."""

import datetime

import pytest
from django.urls import reverse

from marm.cases.services import case_screen, routed_process_end
from marm.register.models import RegisterProcess

pytestmark = pytest.mark.django_db


def _route_to_marac(case, manager):
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="marac",
        dash_ticks=18,
        outcome="route",
        rationale="High risk on the DASH checklist",
        routed_to="MARAC coordinator",
        routed_on=datetime.date(2025, 3, 3),
    )
    return case.routed_processes.get()


def test_a_routed_process_shows_on_the_persons_register_entry_without_re_keying(
    client_for, manager_a, practitioner_a, entry_a, concern
):
    routed = _route_to_marac(concern, manager_a)
    assert not RegisterProcess.objects.exists()
    page = client_for(practitioner_a).get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk})).content.decode()
    assert "MARAC: from 3 March 2025, active" in page
    assert concern.reference in page
    listing = client_for(practitioner_a).get(reverse("register:list")).content.decode()
    assert "MARAC since 3 Mar 2025" in listing

    routed_process_end(acting_user=manager_a, routed_process=routed, ended_on=datetime.date(2025, 4, 1))
    page = client_for(practitioner_a).get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk})).content.decode()
    assert "MARAC: from 3 March 2025 to 1 April 2025" in page
    listing = client_for(practitioner_a).get(reverse("register:list")).content.decode()
    assert "MARAC since" not in listing
