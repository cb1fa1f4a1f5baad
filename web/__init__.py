"""The Flask app, the CLI and everything that faces users over HTTP or a terminal."""
