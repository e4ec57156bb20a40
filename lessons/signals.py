"""Publishing content or editing a help point makes every cached page stale at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from learn.page_cache import page_cache_invalidate

from .models import HelpPoint


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def invalidate_on_page_change(sender, **kwargs):
    page_cache_invalidate()


@receiver(post_save, sender=HelpPoint)
@receiver(post_delete, sender=HelpPoint)
def invalidate_on_help_point_change(sender, **kwargs):
    page_cache_invalidate()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def invalidate_on_view_restriction_change(sender, **kwargs):
    # Cached pages skip the view checks; a page that gets a restriction must not stay in the cache.
    page_cache_invalidate()
