from django.urls import path

from marm.history import views

app_name = "history"

urlpatterns = [
    path("people/<uuid:pk>/history/", views.person_history, name="person"),
    path("people/<uuid:pk>/rectify/", views.rectify, name="rectify"),
    path(
        "people/<uuid:pk>/rectifications/<int:rectification_pk>/lift/",
        views.lift_restriction,
        name="lift-restriction",
    ),
    path("cases/<uuid:case_pk>/history/", views.case_history, name="case"),
]
