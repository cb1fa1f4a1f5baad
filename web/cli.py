"""The ``labourgraph`` command: options and LABOURGRAPH_* variables in, wiring out.

This is the outer layer: it opens the store, then hands it to ``graph.ingest``,
``web.app.create_app`` or ``graph.export``. It is the only module that prints.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from labourgraph.graph.store import GraphStore, StoreError

from .settings import DEFAULT_STORE

Command = Callable[[argparse.Namespace], int]


def _store_dir(args: argparse.Namespace) -> Path:
    return Path(args.store or os.environ.get("LABOURGRAPH_STORE") or DEFAULT_STORE)


def _open(
    args: argparse.Namespace, *, writable: bool = False, base: str | None = None
) -> GraphStore:
    """The store the options name: embedded under --store, or remote with --sparql-endpoint."""
    from labourgraph.graph.stores import open_any

    env = os.environ.get
    return open_any(
        _store_dir(args),
        sparql_endpoint=args.sparql_endpoint or env("LABOURGRAPH_SPARQL_ENDPOINT") or None,
        update_endpoint=args.update_endpoint or env("LABOURGRAPH_UPDATE_ENDPOINT") or None,
        writable=writable,
        base=base,
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read records, map them to RDF, load them; exit 1 if any record was rejected."""
    from labourgraph.graph.ingest import ingest_paths

    from .progress import TerminalProgress

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(
            f"labourgraph ingest: {missing[0]}: no such file or folder; expected files or folders "
            "of MARCXML, EAD or EAC-CPF records",
            file=sys.stderr,
        )
        return 2
    base = args.base or os.environ.get("LABOURGRAPH_BASE") or None
    store = _open(args, writable=True, base=base)
    try:
        report = ingest_paths(
            store, [Path(p) for p in args.paths], progress=TerminalProgress.for_stream(sys.stderr)
        )
    finally:
        store.close()
    for line in report.problems():
        print(line, file=sys.stderr)
    print(report.summary())
    return 1 if report.rejected else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app with uWSGI (never Flask's development server)."""
    from .server import serve
    from .settings import Settings

    settings = Settings.from_env(
        store=_store_dir(args),
        host=args.host,
        port=args.port,
        workers=args.workers,
        query_timeout=args.timeout,
        result_limit=args.limit,
        access_log=args.access_log,
        keep_alive=args.keep_alive,
        sparql_endpoint=args.sparql_endpoint,
        update_endpoint=args.update_endpoint,
    )
    return serve(settings)


def cmd_query(args: argparse.Namespace) -> int:
    """Run a SPARQL query against the store, as the endpoint would."""
    from labourgraph.graph.results import print_answer, run_cli_query

    text = (
        Path(args.query).read_text(encoding="utf-8")
        if args.query.endswith(".rq") and Path(args.query).is_file()
        else args.query
    )
    if text == "-":
        text = sys.stdin.read()
    store = _open(args)
    answer = run_cli_query(store, text, args.format)
    print_answer(answer, sys.stdout)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole dataset (N-Quads by default) to a file or stdout."""
    from labourgraph.graph.export import export_to

    store = _open(args)
    out = open(args.output, "wb") if args.output and args.output != "-" else sys.stdout.buffer  # noqa: SIM115
    try:
        export_to(store, args.format, out)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the graph against ontology/shapes.ttl; exit 1 on any violation."""
    from labourgraph.graph.validate import validate_store

    violations = validate_store(_open(args))
    for v in violations:
        print(v.message())
    print(
        f"{len(violations)} violation(s)"
        if violations
        else "No violations: the graph conforms to ontology/shapes.ttl."
    )
    return 1 if violations else 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Say which mentions were merged into an entity, and by which rule."""
    from labourgraph.graph.reconcile import explain

    print(explain(_open(args), args.iri))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="labourgraph", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--store",
            metavar="DIR",
            help="store directory (default: $LABOURGRAPH_STORE or var/store)",
        )
        p.add_argument(
            "--sparql-endpoint",
            default=None,
            metavar="URL",
            help="use a remote SPARQL 1.1 store (default: $LABOURGRAPH_SPARQL_ENDPOINT, "
            "or the one an earlier ingest recorded under --store)",
        )
        p.add_argument(
            "--update-endpoint",
            default=None,
            metavar="URL",
            help="its SPARQL Update endpoint, needed by ingest ($LABOURGRAPH_UPDATE_ENDPOINT)",
        )
        p.set_defaults(func=func)
        return p

    p = command(
        "ingest", cmd_ingest, "ingest MARCXML, EAD and EAC-CPF records from files or folders"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--base",
        help="IRI base, recorded at the first ingest (default: $LABOURGRAPH_BASE or http://127.0.0.1:5000/)",
    )

    p = command("serve", cmd_serve, "serve the web app and SPARQL endpoint with uWSGI")
    p.add_argument("--host", default=None, help="address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 5000)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default cores + 1)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="SPARQL query time limit in seconds (default 30)",
    )
    p.add_argument(
        "--limit", type=int, default=None, help="SPARQL result row limit (default 10000)"
    )
    p.add_argument(
        "--access-log",
        action="store_true",
        default=None,
        help="log every request to stdout (default off: it costs throughput)",
    )
    p.add_argument(
        "--keep-alive",
        type=float,
        default=None,
        metavar="SECONDS",
        help="keep idle connections open this long (default 0: close after each answer)",
    )

    p = command("query", cmd_query, "run a SPARQL query (text, a .rq file, or - for stdin)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--format", choices=["json", "csv", "tsv", "table"], default="table")

    p = command("export", cmd_export, "write the whole dataset")
    p.add_argument("--format", choices=["nq", "nt", "ttl", "trig"], default="nq")
    p.add_argument("-o", "--output", default="-", help="file (default stdout)")

    command("validate", cmd_validate, "check the graph against the SHACL shapes")

    p = command("explain", cmd_explain, "explain how an entity was reconciled")
    p.add_argument("iri", metavar="IRI")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``labourgraph`` command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except StoreError as exc:
        print(f"labourgraph {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
