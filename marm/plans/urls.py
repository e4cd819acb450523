from django.urls import path

from marm.plans import views

app_name = "plans"

urlpatterns = [
    path("cases/<uuid:case_pk>/plan/", views.case_plan, name="case-plan"),
    path("cases/<uuid:case_pk>/plan/actions/new/", views.action_add, name="action-add"),
    path("cases/<uuid:case_pk>/plan/actions/<int:action_id>/", views.action_detail, name="action"),
    path("cases/<uuid:case_pk>/plan/actions/<int:action_id>/revise/", views.action_revise, name="action-revise"),
    path("cases/<uuid:case_pk>/plan/contingency/new/", views.contingency_new, name="contingency-new"),
]
