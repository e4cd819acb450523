from django.urls import path

from benchmarks.load.bare import views

urlpatterns = [path("", views.page), path("health/", views.health)]
