"""The environment's nbgrader config: sealed grading even where a course config fails to load."""

from rnncourse.grading.config import configure_grading

configure_grading(get_config())  # noqa: F821  (provided by nbgrader when it loads this file)
