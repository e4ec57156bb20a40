"""Learner-facing pages of group sessions (/<lang>/sessions/); organisers' pages live in organiser_urls."""

from django.urls import include, path

app_name = "group_sessions"

urlpatterns = [
    path("organise/", include("group_sessions.organiser_urls")),
    path("run/", include("group_sessions.run_urls")),
]
