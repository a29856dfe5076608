"""The app's screens: main, help, citation style picker, export."""
