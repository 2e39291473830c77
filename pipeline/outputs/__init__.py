"""The writers: a converted document as files (the JSON itself is `model.to_json`).

- `atomic`: every file is written whole or not at all (temporary file, fsync, rename);
- `render`: Markdown and plain text, views of the JSON;
- `wordboxes`: each output word traced to its box on the page (for the writers that place words);
- `searchable`: the input PDF with the repaired words as its invisible text layer;
- `alto`: ALTO 4.4 XML.

Nothing is re-exported here, so that a module needing one writer imports only that one.
"""
