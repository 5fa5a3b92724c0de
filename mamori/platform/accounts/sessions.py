"""Sessions in the database that a stolen copy of the database cannot use.

The browser's cookie keeps the random session key; the table keeps only a keyed hash of it (under
a key derived from the secret key, outside the database), so a row's key is no cookie. The
session's data (which can hold a two-factor secret being set up or an API token shown once) is
sealed with the secret key too. Signing out everywhere and password changes still end every
session: the session carries the user's auth hash, which includes the per-user session salt.

SESSION_ENGINE = "mamori.platform.accounts.sessions".
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore

from mamori.sealing import SealError, keyed_hash, seal, unseal

PURPOSE = "session"


def stored_key(session_key: str) -> str:
    """What the table keeps for a session key (40 hex characters, the column's size)."""
    return keyed_hash(session_key, PURPOSE, length=40)


class SessionStore(DbSessionStore):
    def _get_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            return self.model.objects.get(
                session_key=stored_key(self.session_key), expire_date__gt=self._now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    async def _aget_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            return await self.model.objects.aget(
                session_key=stored_key(self.session_key), expire_date__gt=self._now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    @staticmethod
    def _now():
        from django.utils import timezone

        return timezone.now()

    def exists(self, session_key):
        return self.model.objects.filter(session_key=stored_key(session_key)).exists()

    async def aexists(self, session_key):
        return await self.model.objects.filter(session_key=stored_key(session_key)).aexists()

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        obj.session_key = stored_key(obj.session_key)
        return obj

    async def acreate_model_instance(self, data):
        obj = await super().acreate_model_instance(data)
        obj.session_key = stored_key(obj.session_key)
        return obj

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()

    async def adelete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        await self.model.objects.filter(session_key=stored_key(session_key)).adelete()

    def encode(self, session_dict):
        return seal(super().encode(session_dict), PURPOSE)

    def decode(self, session_data):
        try:
            return super().decode(unseal(session_data, PURPOSE))
        except SealError:
            return {}
