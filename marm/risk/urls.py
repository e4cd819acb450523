from django.urls import path

from marm.risk import views

app_name = "risk"

urlpatterns = [
    path("cases/<uuid:case_pk>/risk/", views.overview, name="assessment"),
    path("cases/<uuid:case_pk>/risk/start/", views.start, name="start"),
    path("cases/<uuid:case_pk>/risk/versions/<int:number>/", views.version_detail, name="version"),
    path("cases/<uuid:case_pk>/risk/draft/", views.edit_overview, name="edit-overview"),
    path("cases/<uuid:case_pk>/risk/draft/aspects/<slug:aspect>/", views.edit_aspect, name="edit-aspect"),
    path("cases/<uuid:case_pk>/risk/draft/agree/", views.agree, name="agree"),
    path("cases/<uuid:case_pk>/risk/copies/", views.copies, name="copies"),
    path("cases/<uuid:case_pk>/risk/copies/<int:copy_id>/pdf/", views.copy_pdf, name="copy-pdf"),
    path("cases/<uuid:case_pk>/capacity/", views.capacity_list, name="capacity"),
    path("cases/<uuid:case_pk>/capacity/new/", views.capacity_add, name="capacity-add"),
    path("cases/<uuid:case_pk>/capacity/<int:assessment_id>/", views.capacity_detail, name="capacity-detail"),
    path(
        "cases/<uuid:case_pk>/capacity/<int:assessment_id>/best-interests/",
        views.best_interests_add,
        name="best-interests",
    ),
    path("cases/<uuid:case_pk>/capacity/refusals/new/", views.refusal_add, name="refusal-add"),
    path("cases/<uuid:case_pk>/advocacy/new/", views.advocacy_add, name="advocacy-add"),
    path("cases/<uuid:case_pk>/advocacy/<int:referral_id>/", views.advocacy_update, name="advocacy-update"),
]
