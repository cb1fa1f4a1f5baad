"""Records -> RDF, reconciliation and store access. Never imports flask or labourgraph.web."""
