from __future__ import annotations

from mamori.platform.actor import Actor, acting_as


class TrailActorMiddleware:
    """Every change made while answering a page or an API call is the request's user's.

    The actor is read when the first change is recorded, not now: a sign-in in the same request
    (or the API's bearer token, authenticated in the view) is then already known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = "api" if request.path.startswith("/api/") else "web"
        with acting_as(lambda: Actor.from_request(request, via=via)):
            return self.get_response(request)
