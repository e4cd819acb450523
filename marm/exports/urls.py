from django.urls import path

from marm.exports import views

app_name = "exports"

urlpatterns = [
    path("exports/", views.index, name="index"),
    path("exports/<uuid:export_id>/download/", views.download, name="download"),
    path("calendar/", views.calendar, name="calendar"),
    # Fetched by calendars without a session (LoginRequiredMiddleware lets this one view through).
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
