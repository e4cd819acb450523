from django.urls import path

from marm.sar import views

app_name = "sar"

urlpatterns = [
    path("", views.reviews_list, name="list"),
    path("new/", views.review_new, name="review-new"),
    path("<int:review_id>/", views.review_detail, name="review"),
    path("<int:review_id>/edit/", views.review_edit, name="review-edit"),
    path("<int:review_id>/conclude/", views.review_conclude, name="review-conclude"),
    path("<int:review_id>/organisations/new/", views.organisation_new, name="organisation-new"),
    path("<int:review_id>/themes/new/", views.theme_new, name="theme-new"),
    path("<int:review_id>/recommendations/new/", views.recommendation_new, name="recommendation-new"),
    path(
        "<int:review_id>/recommendations/<int:recommendation_id>/respond/",
        views.recommendation_respond,
        name="recommendation-respond",
    ),
    path("<int:review_id>/recommendations/<int:recommendation_id>/actions/new/", views.action_new, name="action-new"),
    path("<int:review_id>/actions/<int:action_id>/sign-off/", views.action_sign_off, name="action-sign-off"),
    path("<int:review_id>/progress/<int:progress_id>/", views.progress_update, name="progress"),
    path("<int:review_id>/single-agency-plans/new/", views.plan_new, name="plan-new"),
]
