"""Running a date of a session, included under /<lang>/sessions/run/ (namespace group_sessions)."""

from django.urls import path

from . import run_views

urlpatterns = [
    path("", run_views.run_list, name="run_list"),
    path("<int:pk>/", run_views.run_occurrence, name="run_occurrence"),
    path("<int:pk>/walk-ins/", run_views.run_walk_ins, name="run_walk_ins"),
    path("<int:pk>/give/", run_views.run_give, name="run_give"),
]
