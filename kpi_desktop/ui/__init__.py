"""Qt widgets: main window, pages, dialogs, item models."""
