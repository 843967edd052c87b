"""The Redis cache, with one client object per connection pool (settings.CACHES when REDIS_URL is set).

Django's Redis backend builds a new redis-py client for every cache operation (a page makes several: the
session, generations, the header, kept renderings). A client is a thin, thread-safe front of its connection
pool, so one per pool serves every operation of the process: the same connections, less work per request.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
