"""Grading helpers that plug into nbgrader through ``nbgrader_config.py``."""
