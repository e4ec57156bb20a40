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
]
