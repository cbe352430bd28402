"""The app's screens, one module each; the main screen (library tree, reader and notes) is a package of its own."""
