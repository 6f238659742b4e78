"""The presentation core under both front ends: what the chat and the web pages show.

Names, number and date formats, and the views of a confirmation, a failure, the deadlines a
change made, an audit line or a report's summary. The chat joins them into a message, the
templates loop over them; neither front end imports the other.
"""
