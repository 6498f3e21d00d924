"""The release check: build the runtime and generated distributions, check their metadata and
contents, install them into fresh venvs on every Python 3.9-3.13 found, import everything and run
a smoke test against the sandbox; per Python as well, the testing kit: all four wheels and pytest,
the installed sandbox, the smoke test and the README's fixture test (``kit.py``, at each Python's
pins, ``pins.py``); then publish all four distributions to a local package index and install the
client and the sandbox by name from it (``publish.py``).
``scripts/release-check`` runs it; nothing here shapes ``generated/``."""
