"""Vietnamese first: the interface opens in Vietnamese whatever the browser's language.

Many office computers run an English Windows and browser; the alliance's staff still expect
Vietnamese. English is chosen explicitly with the language switch (a cookie).
"""


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
