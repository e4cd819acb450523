from django.urls import path

from marm.administration import views

app_name = "administration"

urlpatterns = [
    path("administration/", views.users, name="users"),
    path("administration/users/new/", views.user_new, name="user-new"),
    path("administration/users/<int:user_id>/", views.user_detail, name="user"),
    path("administration/users/<int:user_id>/roles/new/", views.role_add, name="role-add"),
    path(
        "administration/users/<int:user_id>/roles/<int:membership_id>/remove/",
        views.role_remove,
        name="role-remove",
    ),
    path(
        "administration/users/<int:user_id>/deactivate/",
        views.account_action,
        {"action": "deactivate"},
        name="deactivate",
    ),
    path("administration/users/<int:user_id>/activate/", views.account_action, {"action": "activate"}, name="activate"),
    path(
        "administration/users/<int:user_id>/password-reset/",
        views.account_action,
        {"action": "password-reset"},
        name="password-reset-send",
    ),
    path(
        "administration/users/<int:user_id>/second-factor-reset/",
        views.account_action,
        {"action": "second-factor-reset"},
        name="second-factor-reset",
    ),
    path(
        "administration/users/<int:user_id>/sessions-end/",
        views.account_action,
        {"action": "sessions-end"},
        name="sessions-end",
    ),
    path("administration/requests/", views.requests, name="requests"),
    path("administration/requests/<int:request_id>/", views.request_decide, name="request-decide"),
    # The link e-mailed to a user: open without signing in.
    path("password-reset/<str:uidb64>/<str:token>/", views.password_reset, name="password-reset"),
]
