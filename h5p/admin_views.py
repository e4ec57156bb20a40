"""Wagtail admin screens for H5P exercises: the list with each import's state, the upload form, one
exercise's problems and notices, and trying a failed or stuck import again or removing it. The generic snippet screens cannot run the import service, so uploading lives
here; the snippet registration (wagtail_hooks.py) is kept for the chooser and for renaming/deleting.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .models import H5PContent, ImportStatus
from .services import content_remove, content_retry, content_upload, max_upload_bytes
from .validation import MIB, problem_message

VIEW_PERMISSIONS = ("h5p.view_h5pcontent", "h5p.add_h5pcontent", "h5p.change_h5pcontent", "h5p.delete_h5pcontent")
ADD_PERMISSION = "h5p.add_h5pcontent"
DELETE_PERMISSION = "h5p.delete_h5pcontent"


def can_view(user) -> bool:
    return any(user.has_perm(permission) for permission in VIEW_PERMISSIONS)


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(
        label=_("H5P file"),
        help_text=_("A file whose name ends in .h5p."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("A file whose name ends in .h5p, at most %(limit)s MB.") % {
            "limit": max_upload_bytes() // MIB
        }


def _with_messages(problems: list) -> list[dict]:
    return [
        {"rule": problem.get("rule", ""), "file": problem.get("file", ""), "message": problem_message(problem)}
        for problem in problems or []
        if isinstance(problem, dict)
    ]


def index(request):
    if not can_view(request.user):
        raise PermissionDenied
    contents = H5PContent.objects.select_related("uploaded_by").order_by("-uploaded_at")[:200]
    rows = [{"content": content, "problems": _with_messages(content.errors)} for content in contents]
    return TemplateResponse(
        request,
        "h5p/admin/index.html",
        {
            "rows": rows,
            "can_upload": request.user.has_perm(ADD_PERMISSION),
            "busy": any(
                row["content"].status in (ImportStatus.QUEUED, ImportStatus.VALIDATING) and not row["content"].is_stuck
                for row in rows
            ),
        },
    )


def upload(request):
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = content_upload(
                user=request.user, title=form.cleaned_data["title"], uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("title" if error.code == "title" else "file", error)
        else:
            messages.success(request, gettext("The file is uploaded. Oefenplein checks it now."))
            return redirect("h5p_admin:detail", pk=content.pk)
    return TemplateResponse(request, "h5p/admin/upload.html", {"form": form})


def detail(request, pk: int):
    if not can_view(request.user):
        raise PermissionDenied
    content = get_object_or_404(H5PContent.objects.select_related("uploaded_by", "main_library"), pk=pk)
    return TemplateResponse(
        request,
        "h5p/admin/detail.html",
        {
            "content": content,
            "problems": _with_messages(content.errors),
            "notices": _with_messages(content.notices),
            "busy": content.status in (ImportStatus.QUEUED, ImportStatus.VALIDATING) and not content.is_stuck,
            "libraries": content.libraries.order_by("machine_name"),
            "can_retry": content.can_retry and request.user.has_perm(ADD_PERMISSION),
            "can_remove": content.can_remove and request.user.has_perm(DELETE_PERMISSION),
        },
    )


@require_POST
def retry(request, pk: int):
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    content = get_object_or_404(H5PContent, pk=pk)
    try:
        content_retry(content=content, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Oefenplein checks the file again."))
    return redirect("h5p_admin:detail", pk=pk)


@require_POST
def remove(request, pk: int):
    if not request.user.has_perm(DELETE_PERMISSION):
        raise PermissionDenied
    content = get_object_or_404(H5PContent, pk=pk)
    try:
        content_remove(content=content, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("h5p_admin:detail", pk=pk)
    messages.success(request, gettext("The exercise “%(title)s” and its file are removed.") % {"title": content.title})
    return redirect("h5p_admin:index")
