from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "tripartite.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from tripartite.core.recording import record_saved

        from .tasks import on_record_saved

        # Stored compliance readings follow the evidence they were computed from.
        record_saved.connect(on_record_saved, dispatch_uid="oversight-compliance-recompute")
