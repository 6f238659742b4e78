"""The command line's command groups, one module each with a `register(commands)` (see
`bot.__main__`)."""
