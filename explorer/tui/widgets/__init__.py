"""The app's widgets: each gets data through methods or reactives, reports by messages."""
