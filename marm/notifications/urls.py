from django.urls import path

from marm.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("<uuid:notification_id>/", views.notification_go, name="open"),
]
