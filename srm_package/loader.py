"""The loader's public face: ``load_course(path) -> LoadResult``; see ``srm_package.sources``."""

from srm_package.sources import LoadResult, load_course

__all__ = ["LoadResult", "load_course"]
