from django.urls import path

from marm.dashboards import views

app_name = "core"

urlpatterns = [path("", views.home, name="home")]
