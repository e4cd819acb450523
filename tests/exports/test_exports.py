"""Exports: asked for on the page, made on the worker as the user who asked, downloaded once, audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.exports.models import Export, ExportStatus
from marm.exports.services import export_build, export_request, exports_expire
from tests.exports.spreadsheets import csv_rows, ods_rows


def _ask(client, **data):
    return client.post(reverse("exports:index"), {"format": "csv", **data})


def _only_export(user) -> Export:
    return Export.objects.get(requested_by=user)


def _download(client, export):
    return client.get(reverse("exports:download", kwargs={"export_id": export.pk}))


@pytest.mark.django_db
def test_a_practitioner_exports_their_cases_made_on_the_worker_and_downloads_them_once(
    practitioner_a, practitioner_a_client, planning_case, case_c, person_a, person_c
):
    response = _ask(practitioner_a_client, kind="cases")
    assert response.status_code == 302
    export = _only_export(practitioner_a)
    # The test settings run the worker's job as it is enqueued (django-tasks' immediate backend).
    assert export.status == ExportStatus.READY
    assert export.row_count == 1

    page = practitioner_a_client.get(reverse("exports:index"))
    assert "Download" in page.content.decode()

    response = _download(practitioner_a_client, export)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    assert rows[0][:2] == ["case reference", "person"]
    assert rows[1][:2] == [planning_case.reference, "Margaret Thornbury"]
    # Another agency's case (the GP's, about person_c) is never in the file.
    assert case_c.reference not in response.content.decode("utf-8-sig")
    assert "Okoro" not in response.content.decode("utf-8-sig")

    # The download is a disclosure, naming the people in the file.
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(export.pk))
    assert event.actor_user == practitioner_a
    assert event.detail["people"] == [str(person_a.pk)]
    assert event.detail["rows"] == 1

    # Once: the file is gone from marm; a second try gets a page that says so.
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED
    assert export.content is None
    again = _download(practitioner_a_client, export)
    assert again.status_code == 410
    assert "It was downloaded on" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(export.pk)).count() == 1


@pytest.mark.django_db
def test_the_gp_practice_exports_only_its_own_case(gp_c, client_for, planning_case, case_c):
    client = client_for(gp_c)
    _ask(client, kind="cases", format="ods")
    export = _only_export(gp_c)
    response = _download(client, export)
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    rows = ods_rows(response.content)
    assert [row[0] for row in rows[1:]] == [case_c.reference]


@pytest.mark.django_db
def test_actions_are_exported_with_their_formulas_neutralised(practitioner_a, practitioner_a_client, action_a):
    _ask(practitioner_a_client, kind="actions", format="ods")
    export = _only_export(practitioner_a)
    rows = ods_rows(_download(practitioner_a_client, export).content)
    assert rows[1][2] == "'" + action_a.what
    assert rows[1][3] == practitioner_a.full_name


@pytest.mark.django_db
def test_the_register_of_the_users_team(practitioner_a, practitioner_a_client, entry_a, police_b, client_for):
    _ask(practitioner_a_client, kind="register")
    rows = csv_rows(_download(practitioner_a_client, _only_export(practitioner_a)).content)
    assert rows[1][1] == "Margaret Thornbury"
    # The police see person_a, but never that agency A keeps them on its register: theirs is empty.
    police = client_for(police_b)
    _ask(police, kind="register")
    police_rows = csv_rows(_download(police, _only_export(police_b)).content)
    assert police_rows == [rows[0]]


@pytest.mark.django_db
def test_the_board_officer_exports_the_measures_rounded_for_publication(board_officer, client_for, planning_case):
    client = client_for(board_officer)
    page = client.get(reverse("exports:index")).content.decode()
    assert "Your cases" not in page
    _ask(client, kind="measures", publication="on")
    export = _only_export(board_officer)
    assert export.parameters["publication"] is True
    content = _download(client, export).content.decode("utf-8-sig")
    assert "Margaret" not in content and planning_case.reference not in content
    rows = csv_rows(content.encode())
    # One case: every count is fewer than five, so suppressed.
    assert {row[5] for row in rows[1:]} <= {"[c]", ""}
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(export.pk))
    assert event.detail["people"] == []


@pytest.mark.django_db
def test_a_practitioner_may_not_export_the_boards_measures(practitioner_a, practitioner_a_client):
    response = _ask(practitioner_a_client, kind="measures")
    assert response.status_code == 200
    assert "Select" in response.content.decode() or "govuk-error-summary" in response.content.decode()
    assert not Export.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, a 403 had the form been bypassed
        export_request(acting_user=practitioner_a, kind="measures", format="csv")
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(object_type="exports.export").exists()


@pytest.mark.django_db
def test_another_users_export_is_a_404_and_leaves_the_file(practitioner_a, practitioner_a_client, police_b_client):
    _ask(practitioner_a_client, kind="cases")
    export = _only_export(practitioner_a)
    assert _download(police_b_client, export).status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


@pytest.mark.django_db
def test_the_job_reads_as_the_user_at_the_time_it_runs(practitioner_a, planning_case):
    """A user who has lost their role by the time the worker runs gets a failed export, not a file."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        export = export_request(acting_user=practitioner_a, kind="cases", format="csv")
    assert Export.objects.get(pk=export.pk).status == ExportStatus.QUEUED
    practitioner_a.is_active = False
    practitioner_a.save(update_fields=["is_active"])
    export_build(export_id=str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.content is None
    # Run again (a job enqueued twice): nothing happens.
    assert export_build(export_id=str(export.pk)) is None


@pytest.mark.django_db
def test_the_job_runs_through_the_task_backend(practitioner_a, planning_case):
    from django.test import override_settings

    from marm.exports.tasks import export_build_task

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        export = export_request(acting_user=practitioner_a, kind="cases", format="csv")
    result = export_build_task.enqueue(str(export.pk))
    assert result.return_value == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


@pytest.mark.django_db
def test_an_export_not_downloaded_in_time_expires(practitioner_a, practitioner_a_client, planning_case):
    _ask(practitioner_a_client, kind="cases")
    export = _only_export(practitioner_a)
    assert exports_expire(timezone.now()) == 0
    assert exports_expire(export.expires_at + datetime.timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert export.content is None
    response = _download(practitioner_a_client, export)
    assert response.status_code == 410
    assert "not downloaded in time" in response.content.decode()


@pytest.mark.django_db
def test_asking_for_exports_is_throttled(practitioner_a, practitioner_a_client, settings):
    settings.MARM_LIMIT_EXPORTS_PER_MINUTE = 2
    assert _ask(practitioner_a_client, kind="cases").status_code == 302
    assert _ask(practitioner_a_client, kind="cases").status_code == 302
    assert _ask(practitioner_a_client, kind="cases").status_code == 429
    assert Export.objects.filter(requested_by=practitioner_a).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.THROTTLED, actor_user=practitioner_a).exists()


@pytest.mark.django_db
def test_a_role_with_nothing_to_export_sees_so(administrator, client_for):
    page = client_for(administrator).get(reverse("exports:index"))
    assert page.status_code == 200
    assert "Your role has nothing to export." in page.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between jobs, outside a transaction
def test_an_export_left_being_made_by_a_stopped_worker_is_made_when_its_worker_starts_again(
    practitioner_a, practitioner_a_client, planning_case
):
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=queue):
        export = export_request(acting_user=practitioner_a, kind="cases", format="csv")
    # The worker claimed the job and began the export, then was killed.
    job = DBTaskResult.objects.get(task_path="marm.exports.tasks.export_build_task")
    job.claim("host-worker")
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)

    with override_settings(TASKS=queue):
        call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "host-worker", verbosity=0)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    response = _download(practitioner_a_client, export)
    assert response.status_code == 200
    assert [row[0] for row in csv_rows(response.content)[1:]] == [planning_case.reference]


@pytest.mark.django_db
def test_a_second_run_of_the_job_never_brings_back_a_file_already_downloaded(practitioner_a, planning_case):
    """Two runs of one export (its job put back while the first still ran): the file the first made is
    downloaded before the second finishes, and the second's file is thrown away."""
    from unittest import mock

    from django.test import override_settings

    from marm.exports import services
    from marm.exports.services import export_download

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        export = export_request(acting_user=practitioner_a, kind="cases", format="csv")
    export_build(export_id=str(export.pk))
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)  # the second run has begun
    writer = services.WRITERS["csv"]
    second_run_wrote = []

    def first_run_finishes_and_is_downloaded(out, headings, rows):
        count = writer(out, headings, rows)
        second_run_wrote.append(count)
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.READY)
        export_download(acting_user=practitioner_a, export_id=export.pk)
        return count

    with mock.patch.dict(services.WRITERS, {"csv": first_run_finishes_and_is_downloaded}):
        assert export_build(export_id=str(export.pk)) is None

    assert second_run_wrote == [1]
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED
    assert export.content is None
