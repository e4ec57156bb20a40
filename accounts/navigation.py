"""Where each role works: the header links of a signed-in person, and the page they land on after signing in.

A learner's place is "My learning". Staff roles get their own pages: coaches their groups, training
managers the compliance overview, the programme coordinator the figures, editors the Wagtail admin.
The order below is also the landing order for someone with more than one role. Every link goes to a
page whose own view checks the role again; these links only help people find it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import roles


@dataclass(frozen=True)
class RoleLink:
    key: str  # a stable name, for tests and CSS
    label: str
    url: str


# (key, group or groups, label, URL name or path). Editors are found by their permission to open the admin.
_ROLE_PLACES = (
    ("groups", roles.COACHES, _("My groups"), "coaching:group_list"),
    ("training", roles.TRAINING_MANAGERS, _("Follow up training"), "training:manager_home"),
    # Group sessions (group_sessions): coaches and training managers organise them; editors from the admin menu.
    ("sessions", (roles.COACHES, roles.TRAINING_MANAGERS), _("Organise sessions"), "group_sessions:organise"),
    ("figures", roles.PROGRAMME_COORDINATORS, _("Figures"), "figures:programme"),
    ("admin", None, _("Admin"), "/admin/"),
)


def _may_open_admin(user, group_names: set[str]) -> bool:
    if user.is_superuser or roles.EDITORS in group_names:
        return True
    return bool(user.is_staff and user.has_perm("wagtailadmin.access_admin"))


def role_links_list(*, user) -> list[RoleLink]:
    """The pages of this person's roles, in the active language (one query for the groups)."""
    if not (user.is_authenticated and user.is_active):
        return []
    group_names = set(user.groups.values_list("name", flat=True))
    links = []
    for key, group, label, target in _ROLE_PLACES:
        if group is None:
            allowed = _may_open_admin(user, group_names)
        else:
            allowed = bool(group_names & ({group} if isinstance(group, str) else set(group)))
        if allowed:
            url = target if target.startswith("/") else reverse(target)
            links.append(RoleLink(key=key, label=str(label), url=url))
    return links


def landing_url_get(*, user, language: str) -> str:
    """The first page after signing in: the first role's page, or "My learning" for a learner."""
    with translation.override(language):
        links = role_links_list(user=user)
        return links[0].url if links else reverse("progress:my_learning")
