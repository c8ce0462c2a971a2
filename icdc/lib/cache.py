"""Django's Redis cache backend, keeping its Redis client objects.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call (the
connection pool is kept, the client object is not). With redis-py 8 that costs ~0.3 ms of CPU
each time (it sets up its table of response callbacks), which made a session read from Redis
cost about what the database query it replaces did (issue 12). A ``redis.Redis`` is
thread-safe (each command takes a connection from the pool) and safe across a fork (its pool
starts afresh in the child), so one per pool is kept. settings.py puts this backend in place
of Django's when ``CACHE_URL`` names Redis.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool index → redis.Redis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
