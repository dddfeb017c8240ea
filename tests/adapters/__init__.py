"""Framework adapters: verifiers, the shared scenario table, the example apps on the wire."""
