"""Background work of the H5P app: importing an uploaded package (see `h5p.services.content_import`)."""

from celery import shared_task


@shared_task(name="h5p.import")
def h5p_import(content_id: int, language: str | None = None) -> str:
    """Import one uploaded package; a content that is already ready or rejected is left as it is.

    `language` is the uploader's language, so the problems are written in words they read. A content
    deleted before its import ran is simply gone: there is nothing to do.
    """
    from .models import H5PContent
    from .services import content_import

    try:
        return content_import(content_id=content_id, language=language).status
    except H5PContent.DoesNotExist:
        return "gone"
