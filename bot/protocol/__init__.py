"""Pure protocol logic: calendars, rules and text parsing. No I/O, no Telegram, no database."""
