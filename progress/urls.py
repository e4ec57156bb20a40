"""Learner pages of `progress`, included under the language prefix: /<language>/my-learning/."""

from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [path("my-learning/", views.my_learning, name="my_learning")]
