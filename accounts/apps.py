from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .privacy import privacy_provider_register
        from .privacy_providers import AccountsProvider

        privacy_provider_register(AccountsProvider())

        from .personal_parts import personal_parts_register

        personal_parts_register()

        from django.contrib.auth.signals import user_logged_in

        from .middleware import idle_clock_start

        user_logged_in.connect(idle_clock_start, dispatch_uid="accounts.idle_clock_start")
