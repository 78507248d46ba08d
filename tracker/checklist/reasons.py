"""Why an item applies, as the screens and the dossier show it."""


def reason_texts(reasons: list) -> list[str]:
    """Why the item applies: the sync stores readable strings or {"text": ...} dicts."""
    texts = []
    for reason in reasons or []:
        if isinstance(reason, dict):
            text = reason.get("text") or reason.get("code") or ""
        else:
            text = str(reason)
        if text:
            texts.append(text)
    return texts
