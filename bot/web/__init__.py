"""The web front end: the Telegram Mini App and the browser pages (see `server`)."""
