"""The main screen: the library tree beside the reader and the notes panel."""
