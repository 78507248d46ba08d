"""How people are named on screen, in the audit trail and in the dossier: by name."""


def display_name(user) -> str:
    """The user's full name; the username only when no name is known."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
