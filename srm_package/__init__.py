"""srm-package: turn plain-text course sources into upload-ready LMS packages."""

__version__ = "0.1.0"
