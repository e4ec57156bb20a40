"""Background work of the H5P app: importing an uploaded package (see `h5p.services.content_import`)."""

from celery import shared_task

from .models import H5PContent
from .services import content_import, content_mark_failed, import_task_register


@shared_task(name="h5p.import")
def h5p_import(content_id: int, language: str | None = None, attempt: int | None = None) -> str:
    """Import one uploaded package; a content that is already ready, rejected or failed is left as it is.

    `language` is the uploader's language, so the problems are written in words they read. `attempt`
    is the content's import attempt when this task was sent: after a retry, a late task of an earlier
    attempt does nothing. A content deleted before its import ran is simply gone: there is nothing to do.
    """
    try:
        return content_import(content_id=content_id, language=language, attempt=attempt).status
    except H5PContent.DoesNotExist:
        return "gone"
    except Exception:
        # Broke before the import's own error handling could record it (the database, say): mark it
        # failed when possible, so the admin offers to try again rather than showing "waiting" for good.
        content_mark_failed(content_id=content_id)
        raise


import_task_register(h5p_import)
