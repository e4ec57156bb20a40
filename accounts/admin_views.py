"""Privacy in the Wagtail admin: find a person and erase them with the same service as everywhere else.

For administrators (superusers, or the permission "Can erase a person and all their data"): the people
who asked to delete their account, learners who have no coach any more, and a search. A person who is
the only coach of some learners is first handed over to another coach, like on their own delete page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import services
from .credentials import code_normalize
from .forms import HandOverForm
from .models import User
from .privacy_providers import looked_after_elsewhere
from .selectors import account_data_sections

ERASE_PERMISSION = "accounts.erase_person"
SEARCH_LIMIT = 50


def can_erase(user) -> bool:
    return bool(user.is_active and user.has_perm(ERASE_PERMISSION))


def _without_coach():
    learners = User.objects.filter(created_by__isnull=True, learner_sign_in__isnull=False)
    ids = set(learners.values_list("pk", flat=True))
    return learners.exclude(pk__in=looked_after_elsewhere(user_ids=ids)).order_by("display_name", "pk")


def index(request):
    if not can_erase(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        scope = Q(username__icontains=query) | Q(display_name__icontains=query) | Q(email__iexact=query)
        code = code_normalize(text=query)
        if code:
            scope |= Q(learner_sign_in__code=code)
        found = list(User.objects.filter(scope).order_by("display_name", "pk")[:SEARCH_LIMIT])
    context = {
        "query": query,
        "found": found,
        "asked": User.objects.filter(deletion_requested_at__isnull=False).order_by("deletion_requested_at", "pk"),
        "without_coach": _without_coach(),
    }
    return TemplateResponse(request, "accounts/admin/privacy_index.html", context)


def erase(request, pk: int):
    if not can_erase(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot erase your own account here. Use “Delete my account” on the site."))
        return redirect("accounts_admin:privacy")
    orphans = services.person_orphans(user=person)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    hand_over_form = HandOverForm(request.POST if action == "hand_over" else None) if orphans else None
    if request.method == "POST":
        if action == "hand_over" and orphans:
            if hand_over_form.is_valid():
                try:
                    other = services.learners_hand_over(coach=person, username=hand_over_form.cleaned_data["username"])
                except ValidationError as error:
                    for message in error.message_dict.get("username", error.messages):
                        hand_over_form.add_error("username", message)
                else:
                    messages.success(
                        request, _("%(name)s now coaches the learners and groups of this person.") % {"name": other}
                    )
                    return redirect("accounts_admin:erase", pk=person.pk)
        elif action == "erase" and not orphans:
            name = str(person)
            try:
                services.person_erase(user=person)
            except services.OrphansLeft as error:
                messages.error(request, error.messages[0])
                return redirect("accounts_admin:erase", pk=person.pk)
            messages.success(request, _("%(name)s and all their data are erased.") % {"name": name})
            return redirect("accounts_admin:privacy")
    sections = [
        {"title": section.title, "count": 1 if section.single else sum(1 for _row in section.row_iter())}
        for section in account_data_sections(user=person)
    ]
    context = {
        "person": person,
        "sections": [section for section in sections if section["count"]],
        "orphan_count": len(orphans),
        "hand_over_form": hand_over_form,
    }
    return TemplateResponse(request, "accounts/admin/erase.html", context)
