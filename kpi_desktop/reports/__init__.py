"""PDF forms and spreadsheet exports."""
