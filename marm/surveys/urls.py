from django.urls import path

from marm.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("for-you/", views.surveys_for_you, name="for-you"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/edit/", views.survey_edit, name="edit"),
    path("<int:survey_id>/questions/new/", views.question_add, name="question-add"),
    path("<int:survey_id>/questions/<int:question_id>/", views.question_edit, name="question-edit"),
    path("<int:survey_id>/questions/<int:question_id>/remove/", views.question_remove, name="question-remove"),
    path("<int:survey_id>/open/", views.survey_open, name="open"),
    path("<int:survey_id>/close/", views.survey_close, name="close"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("<int:survey_id>/answer/", views.survey_answer, name="answer"),
]
