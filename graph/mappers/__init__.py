"""Pure record -> RDF mappers, one module per record format."""
