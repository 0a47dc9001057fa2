"""pyHanko's synchronous calls run an asyncio event loop of their own (`asyncio.run`), which
fails in a thread that already runs one: an async caller, or Playwright's synchronous API when
the browser tests load the demo. There the call goes to a worker thread."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(function, *args):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()
