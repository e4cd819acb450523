from django.urls import path

from marm.cases import views

app_name = "cases"

urlpatterns = [
    path("people/<uuid:pk>/concerns/new/", views.raise_concern, name="raise"),
    path("cases/<uuid:case_pk>/", views.detail, name="detail"),
    path("cases/<uuid:case_pk>/screening/", views.screen, name="screen"),
    path("cases/<uuid:case_pk>/reopen/", views.reopen, name="reopen"),
    path("cases/<uuid:case_pk>/lead-professional/", views.allocate, name="allocate"),
    path("cases/<uuid:case_pk>/agencies/<int:role_id>/lead-worker/", views.lead_worker, name="lead-worker"),
    path("cases/<uuid:case_pk>/agencies/<int:role_id>/end/", views.end_role, name="end-role"),
    path("cases/<uuid:case_pk>/key-actions/<int:item_id>/", views.key_action, name="key-action"),
    path("cases/<uuid:case_pk>/themes/", views.themes, name="themes"),
    path(
        "cases/<uuid:case_pk>/routed-processes/<int:process_id>/end/",
        views.routed_process_end,
        name="routed-process-end",
    ),
]
