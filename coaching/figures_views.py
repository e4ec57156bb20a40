"""The coordinator's programme figures: a page with a chart and tables, and the same figures as CSV.

Only people with the programme coordinator role see them (403 for everyone else signed in, the sign-in
page for anonymous visitors). Everything on them is an aggregate with small counts suppressed
(coaching/figures.py).
"""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from accounts import roles
from accounts.decorators import role_required
from learn.spreadsheets import row_neutralise

from . import figures

coordinator_required = role_required(roles.PROGRAMME_COORDINATORS)


@coordinator_required
def programme_figures(request):
    report = figures.programme_figures(language=translation.get_language())
    return render(request, "coaching/programme_figures.html", {"report": report, "min_count": figures.MIN_COUNT})


@coordinator_required
def programme_figures_csv(request):
    report = figures.programme_figures(language=translation.get_language())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="oefenplein-figures-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in figures.csv_rows(report):
        writer.writerow(row_neutralise(row=row))
    return response
