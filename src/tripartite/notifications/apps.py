from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tripartite.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from tripartite.core.recording import record_saved

        from .tasks import on_record_saved

        # Followers hear of a record's new version once its transaction commits.
        record_saved.connect(on_record_saved, dispatch_uid="notifications-followers")
