"""Compiled page templates kept between runs, so that a build does not compile them again.

Jinja2 turns each template into Python code before its first use: about 35 ms in every
process, a sixth of building the seed course. ``bytecode_cache`` keeps that code in the
user's cache folder, ``$XDG_CACHE_HOME/srm-package`` or ``~/.cache/srm-package``,
created when first written. Jinja2 checks each entry against the template's text (and its
own and Python's version), and the file names carry a hash of the environment's options,
so an edited template or a changed option is compiled afresh. The cache only saves time:
a folder that cannot be created or written, or a damaged entry, means compiling as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from jinja2.bccache import Bucket, FileSystemBytecodeCache

#: the folder inside the user's cache folder
CACHE_NAME = "srm-package"


def user_cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/srm-package``, else ``~/.cache/srm-package``; None without a home.

    The XDG base directory specification says to ignore a relative ``XDG_CACHE_HOME``.
    """
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(configured):
        return Path(configured) / CACHE_NAME
    try:
        return Path.home() / ".cache" / CACHE_NAME
    except (RuntimeError, KeyError):  # no HOME and no password-database entry
        return None


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja2's file cache that never fails a build: it creates its folder on first write
    (private to the user) and treats every unreadable or unwritable entry as missing."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or foreign file: compile the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:  # read-only home, full disk: the next run compiles again
            pass


def bytecode_cache(options: Mapping[str, object], directory: Path | None = None) -> QuietBytecodeCache | None:
    """A cache for templates compiled with ``options`` (the ``Environment`` arguments that
    change the generated code), in ``directory`` (default: ``user_cache_dir()``)."""
    folder = directory or user_cache_dir()
    if folder is None:
        return None
    # the compiled code depends on these options, which Jinja2's own checks do not cover
    flavour = hashlib.sha256(repr(sorted(options.items())).encode("utf-8")).hexdigest()[:12]
    return QuietBytecodeCache(str(folder / "templates"), pattern=f"{flavour}-%s.cache")
