from django.urls import path

from marm.continuity import views

app_name = "continuity"

urlpatterns = [
    path("", views.snapshot_list, name="list"),
    path("teams/<int:team_id>/snapshot/", views.snapshot_file, name="download"),
    path("teams/<int:team_id>/passphrase/", views.passphrase, name="passphrase"),
]
