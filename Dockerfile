# The bot as a container image: `docker compose up` (compose.yaml) runs it with PostgreSQL and
# Caddy in front; README, "Run it for real". The image holds the program only: the database,
# the key and the token come from outside (.env, volumes).
FROM python:3.11-slim-bookworm

# A user of its own: the bot needs no privileges, and writes only to /data.
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin thuiszitbot \
    && mkdir -p /data && chown thuiszitbot /data

WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY locales ./locales
RUN pip install --no-cache-dir . && rm -rf /src

ENV PYTHONUNBUFFERED=1 \
    WEB_LISTEN=0.0.0.0 \
    WEB_PORT=8080 \
    DATABASE_URL=sqlite:////data/bot.db

USER thuiszitbot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# /healthz checks the database, the scheduler and delivery (README, "Health and metrics").
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

# SIGTERM (docker stop) ends a delivery in progress cleanly; compose gives it 30 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
