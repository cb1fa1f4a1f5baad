"""The WSGI entry point uWSGI loads in each worker (``labourgraph serve`` sets its settings)."""

from __future__ import annotations

import gc

from .server import application_from_environment

application = application_from_environment()
gc.collect()
gc.freeze()  # start-up objects never need another full collection pass
