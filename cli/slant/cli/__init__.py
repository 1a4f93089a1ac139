"""The command line: typer commands, rendering and consoles. Parse options, call the API, render."""
