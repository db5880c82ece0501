"""Where a reference in a package points: the rule is shared with ``check``, see ``srm_package.links``."""

from srm_package.links import Resolved, Target, folder_of, resolve

__all__ = ["Resolved", "Target", "folder_of", "resolve"]
