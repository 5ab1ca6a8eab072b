"""Pure domain types: dataclasses, enums, value objects and errors (stdlib only)."""
