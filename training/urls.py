"""Training pages, included under the language prefix: /<language>/training/."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.manager_home, name="manager_home"),
    path("mine/", views.my_training, name="my_training"),
    path("teams/<int:pk>/", views.team_compliance, name="team_compliance"),
    path("teams/<int:pk>/export.csv", views.team_export_csv, name="team_export_csv"),
    path("teams/<int:pk>/export.xlsx", views.team_export_xlsx, name="team_export_xlsx"),
    path("teams/<int:pk>/cards/", views.team_card_sheets, name="team_card_sheets"),
    path("teams/<int:pk>/cards/<int:sheet_pk>/", views.card_sheet, name="card_sheet"),
    path("teams/<int:pk>/cards/<int:sheet_pk>/sheet.pdf", views.card_sheet_download, name="card_sheet_download"),
    path("teams/<int:pk>/cards/<int:sheet_pk>/remove/", views.card_sheet_remove, name="card_sheet_remove"),
    path("departments/<int:pk>/", views.department_compliance, name="department_compliance"),
    path("departments/<int:pk>/export.csv", views.department_export_csv, name="department_export_csv"),
    path("departments/<int:pk>/export.xlsx", views.department_export_xlsx, name="department_export_xlsx"),
    path("import/", views.staff_import, name="staff_import"),
    path("reminders/print/", views.paper_reminders, name="paper_reminders"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<uuid:uuid>.pdf", views.certificate_download, name="certificate_download"),
]
