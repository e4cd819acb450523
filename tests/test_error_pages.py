import pytest
from django.test import RequestFactory

from marm.core.views import server_error


def test_H6_the_server_error_page_needs_nothing_that_could_have_failed():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_the_not_found_page_is_the_service_page(practitioner_a_client):
    response = practitioner_a_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


@pytest.mark.django_db
def test_the_health_check_answers_without_sign_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
