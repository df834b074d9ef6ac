"""Bahasa Indonesia first.

Many phones in Indonesia run an English system language, so the browser's Accept-Language
would turn Loket English for people who read the signed standard in Indonesian. The
language changes only when the person picks it with the switch in the header (cookie).
"""


class IndonesianFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
