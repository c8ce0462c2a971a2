"""Session engine ``icdc.accounts.cached_sessions``: account sessions read through the shared
cache (see ``icdc.accounts.sessions``). settings.py chooses it when ``CACHE_URL`` names a cache
every worker shares."""

from .sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
