from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "h5p"
    label = "h5p"
    verbose_name = _("H5P exercises")

    def ready(self):
        from progress.activities import activity_kind_register

        from . import tasks  # noqa: F401  (hands its import task to h5p.services)
        from .activities import H5P_KIND
        from .storage import check_h5p_root

        activity_kind_register(H5P_KIND)
        checks.register(check_h5p_root)

        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import H5PProvider

        privacy_provider_register(H5PProvider())
