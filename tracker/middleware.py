"""Middleware of the app itself."""

from django.utils.cache import patch_cache_control


def private_cache_for_users(get_response):
    """Pages for a logged-in user are never kept by a shared cache or on disk:
    ``Cache-Control: private, no-store`` unless the view set its own."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
