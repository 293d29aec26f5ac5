"""One module per dashboard area; each has a ``router`` and the ``NAV`` items it adds."""
