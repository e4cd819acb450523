from django.urls import path

from marm.retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.due, name="due"),
    path("retention/rules/", views.rules, name="rules"),
    path("retention/rules/<slug:kind>/", views.rule_change, name="rule-change"),
    path("retention/cases/<uuid:case_pk>/holds/", views.case_holds, name="case-holds"),
    path("retention/cases/<uuid:case_pk>/holds/<int:case_hold_id>/lift/", views.case_hold_lift, name="case-hold-lift"),
    path("retention/people/<uuid:pk>/holds/", views.person_holds, name="person-holds"),
    path(
        "retention/people/<uuid:pk>/holds/<int:person_hold_id>/lift/", views.person_hold_lift, name="person-hold-lift"
    ),
]
