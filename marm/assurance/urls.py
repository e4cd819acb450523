from django.urls import path

from marm.assurance import views

app_name = "assurance"

urlpatterns = [
    path("", views.index, name="list"),
    path("publication/", views.publication, name="publication"),
    path("publication/measures.csv", views.publication_download, name="publication-csv"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/data.csv", views.download, name="csv"),
]
