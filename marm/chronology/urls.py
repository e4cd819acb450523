from django.urls import path

from marm.chronology import views

app_name = "chronology"

urlpatterns = [
    path("<uuid:pk>/chronology/", views.chronology_list, name="list"),
    path("<uuid:pk>/chronology/new/", views.add, name="add"),
    path("<uuid:pk>/chronology/<int:entry_id>/correct/", views.correct, name="correct"),
]
