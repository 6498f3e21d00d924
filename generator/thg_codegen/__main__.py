"""`python -m thg_codegen` is `thg-codegen`."""

from .cli import main

main()
