from django.urls import path

from marm.rights import views

app_name = "rights"

urlpatterns = [
    path("subject-access/", views.request_list, name="list"),
    path("people/<uuid:pk>/subject-access/new/", views.register, name="register"),
    path("subject-access/<int:sar_id>/", views.detail, name="detail"),
    path("subject-access/<int:sar_id>/identity/", views.identity, name="identity"),
    path("subject-access/<int:sar_id>/extend/", views.extend, name="extend"),
    path("subject-access/<int:sar_id>/gather/", views.gather, name="gather"),
    path("subject-access/<int:sar_id>/items/", views.items, name="items"),
    path("subject-access/<int:sar_id>/response.pdf", views.download_pdf, name="download-pdf"),
    path("subject-access/<int:sar_id>/response.json", views.download_json, name="download-json"),
    path("subject-access/<int:sar_id>/answer/", views.answer, name="answer"),
    path("subject-access/<int:sar_id>/withdraw/", views.withdraw, name="withdraw"),
]
