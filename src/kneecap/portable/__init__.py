"""A runner's data, portable: the export archive (`archive`), its JSON document (`document`)
and the spreadsheet tables (`tables`). Pure: no store, no clock; docs/export.md is the format."""
