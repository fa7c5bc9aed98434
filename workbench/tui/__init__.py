"""The Textual application: the only package of Workbench that imports Textual."""
