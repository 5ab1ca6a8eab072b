"""The leader's pages: assignments, review inbox, monthly evaluation, unit view, Form 02."""
