from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tripartite.documents"
    label = "documents"
    verbose_name = _("Documents and search")

    def ready(self) -> None:
        from tripartite.core.recording import record_saved

        from .search import on_record_saved

        # Every record is (re)indexed once its transaction commits.
        record_saved.connect(on_record_saved, dispatch_uid="documents-search-index")

        from tripartite.opendata.archive import register_payload_provider

        from .archive_payload import document_files

        # The public files go into the exit-proof archive, checked against their logged hash.
        register_payload_provider("documents", document_files)
