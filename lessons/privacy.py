"""The content side's part of the download and the erasure (see `accounts.privacy`): what Wagtail keeps
about editors (pages they own, comments, revisions, uploads, translations, log entries, admin settings).

Erasing an editor keeps the content (pages, images, documents, translations): Wagtail forgets who made
it (its foreign keys set the link empty). The log entries have a loose link that Wagtail never empties,
so it is emptied here, and log entries about the person's own account (which name them) go.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import Comment, ModelLogEntry, Page, PageLogEntry, PageSubscription, Revision

from accounts.privacy import DataSection, ProviderBase


class ContentProvider(ProviderBase):
    name = "content"
    models = (
        "wagtailcore.Page",
        "wagtailcore.Revision",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.UploadedFile",
        "wagtailcore.APIToken",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
        "wagtailusers.UserProfile",
        "wagtailimages.Image",
        "wagtaildocs.Document",
        "wagtail_localize.StringTranslation",
        "wagtail_localize.SegmentOverride",
    )

    def data_sections(self, *, user) -> list[DataSection]:
        pages = [
            {"page": page.title, "language": page.locale.language_code, "kind": _("Owner")}
            for page in Page.objects.filter(owner=user).select_related("locale").order_by("path")
        ]
        comments = [
            {"page": str(comment.page), "text": comment.text, "at": comment.created_at.isoformat()}
            for comment in Comment.objects.filter(user=user).select_related("page").order_by("created_at", "pk")
        ]
        rows = pages + [
            {"page": row["page"], "language": "", "kind": _("Comment"), "text": row["text"]} for row in comments
        ]
        revisions = Revision.objects.filter(user=user).count()
        subscriptions = PageSubscription.objects.filter(user=user).count()
        if not rows and not revisions and not subscriptions:
            return []
        return [
            DataSection(
                key="content_work",
                title=_("Your work on the content"),
                labels={"page": _("Page"), "language": _("Language"), "kind": _("Kind"), "text": _("Text")},
                rows=rows,
                note=_("Versions of pages you saved: %(revisions)s. Pages you follow: %(subscriptions)s.")
                % {"revisions": revisions, "subscriptions": subscriptions},
            )
        ]

    def erase(self, *, user) -> list:
        # Log entries about the account itself keep its name in their label: they go.
        user_type = ContentType.objects.get_for_model(get_user_model())
        ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
        ModelLogEntry.objects.filter(user_id=user.pk).update(user=None)
        PageLogEntry.objects.filter(user_id=user.pk).update(user=None)
        return []
