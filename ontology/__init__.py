"""Vocabulary and SHACL shapes (Turtle data files, read by labourgraph.graph)."""
