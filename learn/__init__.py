"""Project package: settings, URLs, the Celery app and the base templates and static files."""

from .celery import app as celery_app

__all__ = ("celery_app",)
