"""``verifier schema``: the JSON Schema of each command's output."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from verifier.errors import ConfigError


def schema(name: Annotated[Optional[str], typer.Argument(
        help="claims | who-said-what | summarize | analysis | diff | verify | batch-record | "
             "batch-summary | batch-estimate | batch-export | watch-event | history | draft. "
             "Default: all, keyed by name.")] = None) -> None:
    """Print the JSON Schema of a command's --json output (or of the engine draft)."""
    from verifier.models import OUTPUT_SCHEMAS, AnalysisDraft

    schemas = {**OUTPUT_SCHEMAS, "draft": AnalysisDraft}
    if name is None:
        doc = {key: model.model_json_schema() for key, model in schemas.items()}
    elif name in schemas:
        doc = schemas[name].model_json_schema()
    else:
        raise ConfigError(f"no schema named {name!r}; choose one of: {', '.join(schemas)}")
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
