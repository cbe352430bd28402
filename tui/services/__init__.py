"""App-owned services for long work: the background indexing (`indexing.py`) and the library's import, fetch and
download (`library_work.py`). Each runs its work in workers of the app, not of a screen, and tells the screens what
changed on the app's signals (`index_changed`, `work_changed`); no service looks for a screen."""
