from django.urls import path

from . import display_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_overview, name="account"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/learner/", views.learner_sign_in, name="login_learner"),
    path("login/one-time/", views.one_time_sign_in, name="login_one_time"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("display/", display_views.display_preferences, name="display"),
    path("my-data/", views.account_data_download, name="my_data"),
    path("delete/", views.account_delete, name="delete"),
    path("coach/", views.coach_learners, name="coach_learners"),
    path("coach/learners/new/", views.coach_learner_create, name="coach_learner_create"),
    path("coach/learners/<int:pk>/card/", views.coach_learner_card, name="coach_learner_card"),
    path("coach/learners/<int:pk>/reset/", views.coach_learner_reset, name="coach_learner_reset"),
    path("coach/learners/<int:pk>/unlock/", views.coach_learner_unlock, name="coach_learner_unlock"),
    path("coach/learners/<int:pk>/one-time-code/", views.coach_learner_one_time, name="coach_learner_one_time"),
    path("coach/learners/<int:pk>/delete/", views.coach_learner_delete, name="coach_learner_delete"),
    path("coach/unlock-here/", views.coach_unlock_here, name="coach_unlock_here"),
]
