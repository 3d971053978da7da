"""Imports every feature's models so the metadata (Alembic, tests) sees all tables."""


def load_all_models() -> None:
    import integrations.channels.sms.models  # noqa: F401
    import integrations.content.editor.models  # noqa: F401
    import integrations.content.models  # noqa: F401
    import integrations.conversations.models  # noqa: F401
    import integrations.early_help.models  # noqa: F401
    import integrations.staff.models  # noqa: F401
