from django.urls import path

from marm.register import views

app_name = "register"

urlpatterns = [
    path("register/", views.register_list, name="list"),
    path("register/teams/<int:team_id>/settings/", views.team_settings, name="settings"),
    path("register/people/<uuid:pk>/add/", views.entry_add, name="add"),
    path("register/people/<uuid:pk>/support-not-delivered/", views.support_not_delivered, name="support"),
    path("register/entries/<uuid:entry_pk>/", views.entry_detail, name="entry"),
    path("register/entries/<uuid:entry_pk>/review/", views.review_record, name="review"),
    path("register/entries/<uuid:entry_pk>/processes/add/", views.process_add, name="process-add"),
    path("register/entries/<uuid:entry_pk>/processes/<int:process_id>/end/", views.process_end, name="process-end"),
    path("register/entries/<uuid:entry_pk>/remove/", views.entry_remove, name="remove"),
    path(
        "register/entries/<uuid:entry_pk>/named-professional/",
        views.named_professional_change,
        name="named-professional",
    ),
    path("register/alerts/<uuid:alert_pk>/", views.alert_detail, name="alert"),
    path("duty/", views.duty_search, name="duty"),
    path("duty/people/<uuid:pk>/", views.duty_card, name="duty-card"),
    path("duty/people/<uuid:pk>/contact/", views.duty_contact, name="duty-contact"),
    path("duty/people/<uuid:pk>/open/", views.duty_open, name="duty-open"),
]
