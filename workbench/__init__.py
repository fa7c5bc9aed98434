"""Workbench: qualitative coding and thematic analysis of interview transcripts, in a terminal."""

__version__ = "0.1.0"
