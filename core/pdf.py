"""WeasyPrint's font configuration, one per thread.

WeasyPrint makes a new one for each document unless given one, and the fonts each one loads (the
CJK faces, about 17 MB a time) are never freed: a process that printed 10,000 processing forms grew
to 6.4 GB. One per thread keeps a process at its first document's size; a configuration is not
meant to be shared between threads.
"""

import threading

_local = threading.local()


def font_configuration():
    # Imported here: WeasyPrint is heavy to import and only the rendering needs it.
    from weasyprint.text.fonts import FontConfiguration

    configuration = getattr(_local, "configuration", None)
    if configuration is None:
        configuration = _local.configuration = FontConfiguration()
    return configuration
