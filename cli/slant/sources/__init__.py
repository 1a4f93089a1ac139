"""Reading files and web pages into articles: text, title, author, date, source."""
