"""Use cases: what handlers and the command line ask for, on top of storage and protocol."""
