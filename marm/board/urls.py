from django.urls import path

from marm.board import views

app_name = "board"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/priorities/new/", views.priority_new, name="priority-new"),
    path("priorities/<int:priority_id>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:priority_id>/objectives/new/", views.objective_new, name="objective-new"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective-edit"),
    path("objectives/<int:objective_id>/actions/new/", views.action_new, name="action-new"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:action_id>/sign-off/", views.action_sign_off, name="action-sign-off"),
    path("subgroups/", views.subgroups, name="subgroups"),
    path("annual-report/", views.annual_report_draft, name="annual-report"),
    path("annual-report/<int:year>.pdf", views.annual_report_download, name="annual-report-pdf"),
]
