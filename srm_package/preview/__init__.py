"""``srm-package preview``: the course served from memory on 127.0.0.1, rebuilt on every save,
inside a simulated LMS (``static/lms.js``) that shows what an LMS would store.

``builder.py`` keeps the last good build and the current problems; ``server.py`` serves them
and tells open pages (server-sent events) when to reload; ``srm_package/commands/preview.py``
watches the sources and ties both together. Nothing here writes a file or goes into a package.
"""
