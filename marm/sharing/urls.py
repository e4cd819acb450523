from django.urls import path

from marm.sharing import views

app_name = "sharing"

urlpatterns = [
    path("cases/<uuid:case_pk>/share/", views.share, name="share"),
    path("cases/<uuid:case_pk>/share/several/", views.share_several, name="share-several"),
    path("cases/<uuid:case_pk>/sharing-wishes/", views.wishes, name="wishes"),
    path("cases/<uuid:case_pk>/disclosures/", views.case_disclosures, name="case-disclosures"),
    path("people/<uuid:pk>/disclosures/", views.person_disclosures, name="person-disclosures"),
]
