from django.urls import path

from marm.linkage import views

app_name = "linkage"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/template.csv", views.import_template, name="import-template"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:import_pk>/", views.import_done, name="import-done"),
    path("possible-duplicates/", views.duplicates_report, name="duplicates-report"),
    path("possible-duplicates/<int:suggestion_pk>/", views.duplicate_decide, name="duplicate-decide"),
    path("<uuid:pk>/same-person/", views.same_person, name="same-person"),
    path("<uuid:pk>/same-person/<uuid:other_pk>/link/", views.link, name="link"),
    path("<uuid:pk>/same-person/links/<int:link_pk>/end/", views.end_link, name="end-link"),
]
