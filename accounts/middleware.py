"""Remembers a signed-in user's language, so that e-mails reach them in it."""

from django.contrib.auth import get_user_model
from django.utils.translation import get_language_from_path


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        language = get_language_from_path(request.path_info)
        if language and user.is_authenticated and user.language != language:
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return self.get_response(request)
