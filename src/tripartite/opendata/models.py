from .mirror_models import *  # noqa: F403

__all__ = ["MirrorEntry", "MirrorRecordVersion", "MirrorSource"]  # noqa: F405
