from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfidentialConfig(AppConfig):
    name = "tripartite.confidential"
    label = "confidential"
    verbose_name = _("Confidential channel")
