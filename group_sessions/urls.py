"""Learner-facing pages of group sessions (/<lang>/sessions/); organisers' pages live in organiser_urls."""

from django.urls import include, path

from . import views

app_name = "group_sessions"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/cancel-seat/", views.seat_cancel, name="seat_cancel"),
    path("<int:pk>/ask-a-seat/", views.guest_request, name="guest_request"),
    path("<int:pk>/calendar.ics", views.occurrence_calendar, name="calendar"),
    path("organise/", include("group_sessions.organiser_urls")),
    path("run/", include("group_sessions.run_urls")),
]
