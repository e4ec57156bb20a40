"""Background work of coaching: sign-in card sheets. Tasks take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(name=services.RENDER_TASK)
def card_sheet_render_task(sheet_id: int) -> str:
    return services.card_sheet_render(sheet_id=sheet_id)


@shared_task(name="coaching.card_sheets_clean")
def card_sheets_clean_task() -> int:
    return services.card_sheets_clean()
