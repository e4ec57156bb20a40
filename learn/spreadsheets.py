"""One rule for every cell of every export (CSV and Excel): text from the site never becomes a formula.

Spreadsheet programs run a cell that starts with = + - or @ as a formula (and tab or carriage return,
which some of them skip first). Names, titles and codes are typed by people, so every export passes
its cells through `cell_neutralise`: coaching's group progress, training's compliance lists, the
coordinator's figures and the editors' easy-language report.

A Belgian spreadsheet program opens a CSV file split on ";" (the list separator here), and some split
on tabs, so text after a ";" or a tab starts a cell of its own: a formula character there is
neutralised too. Neutralised means a ' is put in front of it, so the text shows as it is.

Only text is changed: numbers, dates and booleans stay what they are, so a real negative number stays
a number in Excel, while the text "-5" typed by somebody becomes '-5.

The downloads themselves (`csv_download`, `xlsx_download`, `export_file_name`) are here too, so every list
that coaching and training hand out is written, named and neutralised the same way.
"""

import csv
import re
import tempfile
from collections.abc import Callable, Iterable

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# At the start of the text, or right after a ";" or a tab: a formula character gets a ' in front.
_FORMULA_CHARS = "".join(re.escape(char) for char in FORMULA_STARTS)
_FORMULA_AT_CELL_START = re.compile(rf"(^|[;\t])(?=[{_FORMULA_CHARS}])")


def cell_neutralise(*, value):
    """The value safe for a spreadsheet cell: text never starts a formula; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazily translated text
        value = str(value)
    if not isinstance(value, str):
        return value
    return _FORMULA_AT_CELL_START.sub(lambda match: match.group(1) + "'", value)


def row_neutralise(*, row: Iterable) -> list:
    return [cell_neutralise(value=value) for value in row]


def export_file_name(*, prefix: str, name: str, fallback: str, extension: str) -> str:
    """`<prefix>-<name as a slug, or fallback>-<today>.<extension>`, e.g. oefenplein-tuesday-2026-12-07.csv."""
    return f"{prefix}-{slugify(name) or fallback}-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    """A file that hands back what is written to it: csv.writer then gives each line to the stream."""

    def write(self, value):
        return value


def csv_download(*, header: Callable[[], list], rows: Iterable[list], file_name: str) -> StreamingHttpResponse:
    """A CSV download streamed row by row, so a list of any size never sits in memory.

    The stream runs after the view has returned, so the header is made (and the rows read) in the
    request's language, kept here.
    """
    language = translation.get_language()

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        with translation.override(language):
            yield writer.writerow(row_neutralise(row=header()))
            for row in rows:
                yield writer.writerow(row_neutralise(row=row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def xlsx_download(
    *, sheet_title: str, header: Callable[[], list], rows: Iterable[list], file_name: str
) -> FileResponse:
    """An Excel download, written row by row (openpyxl's write-only mode) to a temporary file that spills to
    disk when big."""
    from openpyxl import Workbook  # only the export views need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(row_neutralise(row=header()))
    for row in rows:
        sheet.append(row_neutralise(row=row))
    output = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 — FileResponse closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
