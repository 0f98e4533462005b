"""``python -m overlap.cli``: the ``overlap`` command where its script is not installed."""

from overlap.cli import app

app()
