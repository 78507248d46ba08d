"""How the dossier names a user."""


def person(user) -> dict | None:
    """A user as the dossier shows them: username and display name."""
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}
