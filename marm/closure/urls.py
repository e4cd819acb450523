from django.urls import path

from marm.closure import views

app_name = "closure"

urlpatterns = [
    path("cases/<uuid:case_pk>/engagement/", views.engagement, name="engagement"),
    path("cases/<uuid:case_pk>/engagement/new/", views.attempt_new, name="attempt-new"),
    path("cases/<uuid:case_pk>/engagement/flag/", views.flag_raise, name="flag"),
    path("cases/<uuid:case_pk>/engagement/flag/lift/", views.flag_lift, name="flag-lift"),
    path("cases/<uuid:case_pk>/engagement/reflections/new/", views.reflection_new, name="reflection-new"),
    path("cases/<uuid:case_pk>/engagement/reflections/<int:reflection_id>/", views.reflection, name="reflection"),
    path("cases/<uuid:case_pk>/closure/", views.closure, name="closure"),
    path("cases/<uuid:case_pk>/closure/care-and-support/new/", views.provider_new, name="provider-new"),
    path("cases/<uuid:case_pk>/closure/checks/new/", views.check_new, name="check-new"),
    path("cases/<uuid:case_pk>/closure/close/", views.close, name="close"),
    path("cases/<uuid:case_pk>/s42/", views.s42, name="s42"),
    path("cases/<uuid:case_pk>/s42/new/", views.s42_refer, name="s42-refer"),
    path("cases/<uuid:case_pk>/s42/<int:referral_id>/decision/", views.s42_outcome, name="s42-outcome"),
    path("cases/<uuid:case_pk>/s42/<int:referral_id>/resume/", views.s42_resume, name="s42-resume"),
]
