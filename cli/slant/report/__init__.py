"""Reports for people: the comparison as Markdown and as a self-contained HTML page."""
