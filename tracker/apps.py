from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Algokader Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After the register's receivers: the register entry's state is a blocker.
        from tracker.dashboards import signals as figure_signals  # noqa: F401
        from tracker.register import signals  # noqa: F401 - connects the receivers
