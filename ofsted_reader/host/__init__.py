"""The machine the app runs on: where its files are (locations), the user's settings (config) and the user's PDF
viewer (viewer). Kept out of `core`, which does no I/O of its own."""
