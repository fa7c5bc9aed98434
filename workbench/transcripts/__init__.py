"""Transcripts: reading source files, normalising their text, naming, and finding turns and sentences."""
