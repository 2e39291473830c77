"""Command line (stub)."""
def main() -> None:
    raise SystemExit(0)
