from django.urls import path

from marm.meetings import views

app_name = "meetings"

urlpatterns = [
    path("cases/<uuid:case_pk>/meetings/new/", views.schedule, name="schedule"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/", views.detail, name="detail"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/change/", views.change, name="change"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/invite/", views.invite, name="invite"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/invite/person/", views.invite_person, name="invite-person"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/adult/", views.adult, name="adult"),
    path(
        "cases/<uuid:case_pk>/meetings/<int:meeting_id>/minutes/<int:minutes_item_id>/",
        views.minutes_item,
        name="minutes-item",
    ),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/decisions/new/", views.decision, name="decision"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/finish/", views.finish, name="finish"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/invitation.ics", views.calendar_file, name="ics"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/minutes.pdf", views.minutes_download, name="minutes-pdf"),
    path("cases/<uuid:case_pk>/meetings/<int:meeting_id>/minutes/send/", views.send_minutes, name="send-minutes"),
]
