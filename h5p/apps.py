from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "h5p"
    label = "h5p"
    verbose_name = _("H5P exercises")

    def ready(self):
        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import H5PProvider

        privacy_provider_register(H5PProvider())
