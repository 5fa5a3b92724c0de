from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in by e-mail address (case-insensitive) and password.

    Unknown addresses still pay for one password hash (ModelBackend does), so response time
    does not reveal which addresses have accounts.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(
            request, username=(email or username or "").strip().lower(), password=password
        )
