from django.urls import path

from marm.linkage import views

app_name = "linkage"

urlpatterns = [
    path("possible-duplicates/", views.duplicates_report, name="duplicates-report"),
    path("possible-duplicates/<int:suggestion_pk>/", views.duplicate_decide, name="duplicate-decide"),
    path("<uuid:pk>/same-person/", views.same_person, name="same-person"),
    path("<uuid:pk>/same-person/<uuid:other_pk>/link/", views.link, name="link"),
    path("<uuid:pk>/same-person/links/<int:link_pk>/end/", views.end_link, name="end-link"),
]
