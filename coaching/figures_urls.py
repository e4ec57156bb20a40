"""Programme figures for the city's coordinator, included under the language prefix: /<language>/coach/figures/."""

from django.urls import path

from . import figures_views

app_name = "figures"

urlpatterns = [
    path("", figures_views.programme_figures, name="programme"),
    path("figures.csv", figures_views.programme_figures_csv, name="programme_csv"),
]
