"""Report files (DOCX, XLSX) made from the statistics dataclasses; nothing here reads the database."""
