from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .privacy import privacy_provider_register
        from .privacy_providers import AccountsProvider

        privacy_provider_register(AccountsProvider())
