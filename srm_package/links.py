"""Where a reference in a package points: the network, somewhere inside the package, or outside it.

``validate`` checks every reference in a package with it, and ``check`` every link an author
writes, so that a link ``check`` lets through is one ``validate`` accepts.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote, urlsplit

#: schemes that load nothing from anywhere (or only from the page itself)
_INERT_SCHEMES = frozenset({"data", "blob", "javascript", "mailto", "tel", "about", "sms"})


class Target(str, Enum):
    NETWORK = "network"
    LOCAL = "local"
    OUTSIDE = "outside"
    #: a fragment, an empty reference, data:, mailto:... nothing to check
    NONE = "none"


@dataclass(frozen=True)
class Resolved:
    target: Target
    #: for LOCAL: the member name it points at
    member: str = ""


def resolve(reference: str, base_dir: str) -> Resolved:
    """Resolve ``reference`` (a URL as written in a page or manifest) from folder ``base_dir``."""
    reference = reference.strip()
    if not reference or reference.startswith("#"):
        return Resolved(Target.NONE)
    try:
        parts = urlsplit(reference)
    except ValueError:
        return Resolved(Target.OUTSIDE, reference)
    scheme = parts.scheme.lower()
    if scheme in _INERT_SCHEMES:
        return Resolved(Target.NONE)
    if parts.netloc or scheme:
        # a Windows drive ("C:\x") parses as a one-letter scheme: it is outside, not network
        if len(scheme) == 1:
            return Resolved(Target.OUTSIDE, reference)
        return Resolved(Target.NETWORK, reference)
    path = unquote(parts.path)
    if not path:
        return Resolved(Target.NONE)
    if path.startswith("/") or "\\" in path:
        return Resolved(Target.OUTSIDE, path)
    joined = posixpath.normpath(posixpath.join(base_dir, path))
    if joined == ".." or joined.startswith("../"):
        return Resolved(Target.OUTSIDE, path)
    if path.endswith("/"):
        joined = posixpath.join(joined, "index.html")
    return Resolved(Target.LOCAL, joined)


def folder_of(member: str) -> str:
    return posixpath.dirname(member)
