"""accounts' own part of the download and the erasure: the profile and the learner sign-in."""

from django.utils.translation import gettext as _

from . import roles, throttle
from .privacy import DataSection, ProviderBase, privacy_providers


def _iso(value) -> str | None:
    return value.isoformat() if value else None


class AccountsProvider(ProviderBase):
    name = "accounts"
    models = ("accounts.User", "accounts.LearnerSignIn")

    def data_sections(self, *, user) -> list[DataSection]:
        from .selectors import account_profile_export

        profile = account_profile_export(user=user)
        labels = {
            "user_name": _("User name"),
            "display_name": _("Name on the site"),
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail address"),
            "preferred_language": _("Language"),
            "display_preferences": _("Display settings"),
            "learner_id": _("Learner number in your learning records"),
            "roles": _("Roles"),
            "date_joined": _("Account made on"),
            "last_login": _("Last signed in on"),
            "made_by_coach": _("Made by coach"),
            "signs_in_with": _("Signs in with"),
            "deletion_requested_at": _("Asked to delete the account on"),
            "inactivity_notice_at": _("Told the coach the account is not used on"),
        }
        readable = {
            "roles": lambda names: [str(roles.ROLE_LABELS.get(name, name)) for name in names or []],
            "signs_in_with": _sign_in_words,
        }
        return [
            DataSection(
                key="profile", title=_("Your account"), labels=labels, rows=[profile], single=True, readable=readable
            )
        ]

    def erase(self, *, user) -> list:
        code = getattr(getattr(user, "learner_sign_in", None), "code", "")
        if not code:
            return []
        # The pause of wrong tries names the code; it goes with the account.
        return [lambda: throttle.throttle_clear(scope=throttle.CODE, value=code)]

    def orphans(self, *, user) -> set[int]:
        from .models import User

        made = set(User.objects.filter(created_by=user, learner_sign_in__isnull=False).values_list("pk", flat=True))
        return made - looked_after_elsewhere(user_ids=made)

    def hand_over(self, *, from_user, to_user) -> None:
        from .models import User

        ids = self.orphans(user=from_user)
        User.objects.filter(pk__in=ids).update(created_by=to_user)


def looked_after_elsewhere(*, user_ids: set[int]) -> set[int]:
    found: set[int] = set()
    for provider in privacy_providers():
        if provider.name != "accounts":
            found |= provider.looked_after(user_ids=user_ids)
    return found


def _sign_in_words(kind) -> str:
    from .models import SignInKind

    return str(SignInKind(kind).label) if kind in SignInKind.values else _("Password")
