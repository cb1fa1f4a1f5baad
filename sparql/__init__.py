"""SPARQL queries as .rq files (data files, read by labourgraph.graph.queries)."""
