"""The plain site: ``<course-id>-html/``, the student pages without any LMS.

It is the preview (open ``index.html`` straight from disk) and a way to publish the
course on any web server. The quiz works the same as in the SCORM packages and
records nothing.
"""

from __future__ import annotations

from srm_package import pools
from srm_package.model import Course
from srm_package.package import Artifact
from srm_package.render import render_site


def build_artifact(course: Course) -> Artifact:
    entries = render_site(course, "none")
    lessons = len(course.lessons)
    summary = f"plain site, {lessons} lesson{'s' if lessons != 1 else ''}, {pools.question_count(course)}; open index.html"
    return Artifact(filename=f"{course.id}-html", kind="dir", entries=entries, summary=summary)
