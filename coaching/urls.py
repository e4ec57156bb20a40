"""Coach pages, included under the language prefix: /<language>/coach/groups/."""

from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("new/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_dashboard, name="group_dashboard"),
    path("<int:pk>/learners/", views.group_learners, name="group_learners"),
    path("<int:pk>/coaches/", views.group_coaches, name="group_coaches"),
    path("<int:pk>/coaches/leave/", views.group_leave, name="group_leave"),
    path("<int:pk>/learners/new/", views.group_learners_create, name="group_learners_create"),
    path("<int:pk>/learners/<int:learner_pk>/remove/", views.group_learner_remove, name="group_learner_remove"),
    path("<int:pk>/learners/<int:learner_pk>/unlock/", views.group_learner_unlock, name="group_learner_unlock"),
    path("<int:pk>/assignments/new/", views.assignment_create, name="assignment_create"),
    path("<int:pk>/assignments/<int:assignment_pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("<int:pk>/cards/", views.group_card_sheets, name="group_card_sheets"),
    path("<int:pk>/cards/<int:sheet_pk>/", views.card_sheet, name="card_sheet"),
    path("<int:pk>/cards/<int:sheet_pk>/sheet.pdf", views.card_sheet_download, name="card_sheet_download"),
    path("<int:pk>/cards/<int:sheet_pk>/remove/", views.card_sheet_remove, name="card_sheet_remove"),
    path("<int:pk>/export.csv", views.group_export_csv, name="group_export_csv"),
    path("<int:pk>/export.xlsx", views.group_export_xlsx, name="group_export_xlsx"),
]
