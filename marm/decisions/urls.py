from django.urls import path

from marm.decisions import views

app_name = "decisions"

urlpatterns = [
    path("cases/<uuid:case_pk>/decisions/", views.case_log, name="case-log"),
    path("cases/<uuid:case_pk>/decisions/new/", views.record, name="record"),
    path("cases/<uuid:case_pk>/decisions/<int:decision_id>/amend/", views.record, name="amend"),
]
