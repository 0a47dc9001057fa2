"""The background workers' sign of life, in the shared cache, which readiness reads."""

import threading
import time

from django.core.cache import cache

KEY = "operations:worker-heartbeat"
INTERVAL_SECONDS = 15
# Older than this, no worker is taken to be running (readiness fails).
STALE_SECONDS = 120


def beat() -> None:
    cache.set(KEY, time.time(), STALE_SECONDS * 10)


def last_seen() -> float | None:
    """Seconds since a worker last beat, or None if none has."""
    stamp = cache.get(KEY)
    return None if stamp is None else max(0.0, time.time() - stamp)


def beat_while(is_running, interval: float = INTERVAL_SECONDS) -> threading.Thread:
    """Beat every `interval` seconds until is_running() is false or the process dies."""

    def loop():
        while is_running():
            time.sleep(interval)
            beat()

    beat()
    thread = threading.Thread(target=loop, name="worker-heartbeat", daemon=True)
    thread.start()
    return thread
