"""The local trial: the sample region, the chat page in a browser, and `make run` without a token."""
