"""Subcommands of the `kg` CLI: each module defines `register(subparsers)`."""


def add_ner_options(p, default: str) -> None:
    """The NER backend options shared by the commands that run the pipeline."""
    from pathlib import Path

    help_default = ("auto = combined when a Stanza Persian model is installed, else rules" if default == "auto"
                    else default)
    p.add_argument("--ner", choices=["auto", "rules", "stanza", "combined"], default=default,
                   help=f"NER backend (default: {help_default})")
    p.add_argument("--stanza-dir", type=Path, help="Stanza resources folder (default: Stanza's own)")
    p.add_argument("--stanza-ner-model", type=Path, help="a Stanza NER model file (.pt) to use")
