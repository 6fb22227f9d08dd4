"""The MkDocs side of the status site: a plugin that turns the View into pages."""
