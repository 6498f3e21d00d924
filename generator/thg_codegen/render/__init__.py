"""Render stage: the package model through the Jinja templates into source text."""

from __future__ import annotations

from .environment import template_environment
from .files import render_files

__all__ = ["render_files", "template_environment"]
