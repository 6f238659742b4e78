"""The local trial: the bot without Telegram, in the browser, on a sample region."""
