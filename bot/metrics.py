"""The figures an operator alerts on, for `/metrics` in Prometheus's text format
(`prometheus-client`). Each process keeps its own registry; no label carries personal data —
only fixed words (a kind, an outcome) and HTTP status codes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

UPDATE_KINDS = ("command", "message", "button", "other")
NUDGE_OUTCOMES = ("sent", "late", "retried", "failed", "dropped")


class Metrics:
    """One process's figures: counted where things happen, the queue's read at each scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "thuiszitbot_updates", "Telegram updates handled, by kind", ["kind"],
            registry=registry,
        )  # fmt: skip
        self.update_seconds = Histogram(
            "thuiszitbot_update_seconds", "Time from taking an update to having handled it",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=registry,
        )  # fmt: skip
        self.nudges = Counter(
            "thuiszitbot_nudges",
            "Nudges by outcome (late: sent after their moment, also counted as sent)",
            ["outcome"], registry=registry,
        )  # fmt: skip
        self.telegram_429 = Counter(
            "thuiszitbot_telegram_429", "Answers 429 (too many requests) from Telegram",
            registry=registry,
        )  # fmt: skip
        self.web_requests = Counter(
            "thuiszitbot_web_requests", "Requests to the web pages, by status", ["status"],
            registry=registry,
        )  # fmt: skip
        self.nudges_due = Gauge(
            "thuiszitbot_nudges_due", "Nudges due and not sent yet", registry=registry
        )
        self.oldest_due = Gauge(
            "thuiszitbot_oldest_due_nudge_seconds",
            "How long the longest-waiting due nudge has waited (0: none)", registry=registry,
        )  # fmt: skip
        self.sender = Gauge(
            "thuiszitbot_sender", "1 when this process holds the role of sending the nudges",
            registry=registry,
        )  # fmt: skip
        # Every labelled series from the start, so that a rate has a zero to start from.
        for kind in UPDATE_KINDS:
            self.updates.labels(kind)
        for outcome in NUDGE_OUTCOMES:
            self.nudges.labels(outcome)

    def delivered(self, **counts: int) -> None:
        """A delivery run's outcomes (`NUDGE_OUTCOMES`: how many of each)."""
        for outcome, count in counts.items():
            if count:
                self.nudges.labels(outcome).inc(count)

    def text(self) -> bytes:
        """The figures in Prometheus's text format."""
        return generate_latest(self.registry)
