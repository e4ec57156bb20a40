"""A coach's learner accounts, included under the language prefix at their old place: /<language>/account/coach/."""

from django.urls import path

from . import learner_views

app_name = "coach_learners"

urlpatterns = [
    path("", learner_views.coach_learners, name="list"),
    path("learners/new/", learner_views.coach_learner_create, name="create"),
    path("learners/<int:pk>/card/", learner_views.coach_learner_card, name="card"),
    path("learners/<int:pk>/reset/", learner_views.coach_learner_reset, name="reset"),
    path("learners/<int:pk>/unlock/", learner_views.coach_learner_unlock, name="unlock"),
    path("learners/<int:pk>/one-time-code/", learner_views.coach_learner_one_time, name="one_time"),
    path("learners/<int:pk>/delete/", learner_views.coach_learner_delete, name="delete"),
    path("unlock-here/", learner_views.coach_unlock_here, name="unlock_here"),
]
