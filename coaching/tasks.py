"""Background work of coaching: sign-in card sheets. Tasks take ids and call a service."""

from celery import shared_task


@shared_task(name="coaching.card_sheet_render")
def card_sheet_render_task(sheet_id: int) -> str:
    from .services import card_sheet_render

    return card_sheet_render(sheet_id=sheet_id)


@shared_task(name="coaching.card_sheets_clean")
def card_sheets_clean_task() -> int:
    from .services import card_sheets_clean

    return card_sheets_clean()
