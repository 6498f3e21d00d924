"""`thg-sandbox serve`: the emulator on 127.0.0.1, with credentials printed on start."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click
import uvicorn

from thg_spec import Product
from thg_spec.pipeline import SpecError

from .config import ConfigError, SandboxConfig, default_config, load_config
from .server import HOST, build, uvicorn_config
from .specs_source import default_specs


@click.group()
def main() -> None:
    """A local emulator of the THG Connect Integration Platform."""


@main.command()
@click.option(
    "--specs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of product specs to serve [default: the installed thg-connect client's, else "
    "./specs].",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("sandbox.db"),
    show_default=True,
    help="SQLite database file (created if missing; state survives restarts).",
)
@click.option("--memory", is_flag=True, help="Keep everything in memory instead of --db.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Organisations, API clients and partnerships (TOML or YAML); default: built in.",
)
@click.option("--token-ttl", type=click.IntRange(min=1), help="Access token lifetime in seconds.")
@click.option(
    "--event-visibility",
    type=click.FloatRange(min=0.1),
    help="Seconds a polled event stays hidden before it is delivered again (default 30).",
)
def serve(
    specs: Path | None,
    db_path: Path,
    memory: bool,
    port: int,
    config_path: Path | None,
    token_ttl: int | None,
    event_visibility: float | None,
) -> None:
    """Serve every product in SPECS on http://127.0.0.1:PORT."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(config_path) if config_path else default_config()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if token_ttl is not None:
        config = config.with_token_ttl(token_ttl)
    if event_visibility is not None:
        config = config.with_event_visibility(event_visibility)
    if specs is None:
        specs = default_specs()
        if not specs.is_dir():
            raise click.ClickException(
                "no specs to serve: install the thg-connect client (its wheel carries them) "
                "or pass --specs DIR"
            )
    try:
        sandbox, app = build(specs, config, None if memory else db_path)
    except SpecError as exc:
        raise click.ClickException(str(exc)) from None
    _banner(sandbox.config, port, "memory" if memory else str(db_path), sandbox.products)
    sandbox.public_url = f"http://{HOST}:{port}"
    try:
        uvicorn.Server(uvicorn_config(app, port)).run()
    finally:
        sandbox.close()


def _banner(config: SandboxConfig, port: int, where: str, products: Sequence[Product]) -> None:
    base = f"http://{HOST}:{port}"
    names = ", ".join(p.name for p in products)
    lines = [
        f"thg-sandbox on {base} (products: {names}; database: {where})",
        f"token URL: {base}/oauth/token   audience: {base}",
        "credentials (sandbox only; printing them is deliberate):",
    ]
    for client in config.clients:
        lines.append(
            f"  {client.organisation:<12} client_id={client.client_id} "
            f"client_secret={client.client_secret}"
        )
    click.echo("\n".join(lines), file=sys.stderr)


if __name__ == "__main__":
    main()
