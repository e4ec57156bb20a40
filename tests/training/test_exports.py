"""The compliance lists as CSV and Excel never carry a formula: the one rule of learn/spreadsheets.py.

Names come from user accounts and employee numbers from the staff CSV a manager imports, so both are
typed by people.
"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.formula_cases import FORMULA_CASES, FORMULA_IDS
from training import services

from .conftest import make_staff


@pytest.fixture
def staff(django_user_model, park_team, required):
    person = make_staff(django_user_model, park_team, "G-1", "Ann")
    services.enrolments_sync(today=date(2026, 11, 1))
    return person


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def typed_in(staff, typed: str) -> None:
    staff.user.display_name = typed
    staff.user.save()
    staff.employee_number = typed
    staff.save()


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_csv_is_a_formula(manager_client, park_team, staff, typed, exported):
    typed_in(staff, typed)
    response = manager_client.get(reverse("training:team_export_csv", args=[park_team.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    assert rows[1][2:4] == [exported, exported]


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_xlsx_is_a_formula_and_numbers_stay_numbers(manager_client, park_team, staff, typed, exported):
    typed_in(staff, typed)
    response = manager_client.get(reverse("training:department_export_xlsx", args=[park_team.department.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    # Excel files keep a carriage return as a line break.
    assert rows[1][2:4] in ([exported, exported], [exported.replace("\r", "\n")] * 2)
    done, total = rows[1][7:9]
    assert isinstance(done, int) and isinstance(total, int) and total > 0
