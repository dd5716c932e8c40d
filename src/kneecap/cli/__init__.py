"""The `kneecap` command line: each command parses, calls core/store, renders (Rich or JSON)."""
