from django.urls import path

from marm.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/change/", views.edit, name="edit"),
    path("<uuid:pk>/other-names/new/", views.add_alias, name="add-alias"),
    path("<uuid:pk>/addresses/new/", views.add_address, name="add-address"),
    path("<uuid:pk>/references/new/", views.add_identifier, name="add-identifier"),
    path("<uuid:pk>/related-people/new/", views.add_related_person, name="add-related-person"),
    path("<uuid:pk>/access-log/", views.access_log, name="access-log"),
    # Emergency ("break-glass") access (ADR 0026).
    path("emergency-access/", views.emergency_list, name="emergency-list"),
    path("emergency-access/new/", views.emergency_start, name="emergency"),
    path("emergency-access/<uuid:access_pk>/", views.emergency_review, name="emergency-review"),
    path("<uuid:pk>/emergency/", views.emergency_record, name="emergency-record"),
]
