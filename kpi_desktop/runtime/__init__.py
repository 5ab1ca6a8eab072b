"""Qt-free infrastructure: paths, settings, logging, translation look-up."""
