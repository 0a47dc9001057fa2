import logging

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import check_for_language, get_supported_language_variant

from .views import database_busy, is_database_busy

logger = logging.getLogger(__name__)


class IntranetLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Everything on the intranet needs a login, except the API.

    The API answers anonymous callers with a 401 of its own instead of a redirect to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class IntranetLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switch.

    The browser's Accept-Language is not consulted: the intranet's working language is Chinese
    whatever language the workstation's browser was installed in.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        language = get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No language prefixes in the URLs (no i18n_patterns) and no Accept-Language consulted:
        # Django's version looks for both on every response and adds "Vary: Accept-Language".
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class DatabaseBusyMiddleware(MiddlewareMixin):
    """A write that waited for the database longer than its busy timeout answers a translated
    "busy, try again" page (503), not a server error, whatever DEBUG says. Errors raised outside
    views reach the same page through the 500 handler."""

    def process_exception(self, request, exception):
        if is_database_busy(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return database_busy(request)
        return None
