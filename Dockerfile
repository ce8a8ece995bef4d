# The portal's image: gunicorn serves it; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends gettext nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund
COPY . .
# The stylesheet (the US Web Design System compiled with our theme), then the static files.
RUN npm run --silent build && python manage.py compilemessages --ignore=node_modules \
    && DJANGO_SECRET_KEY=build-only-0123456789abcdefghijklmnopqrstuv IIN_HASH_KEY=build-only-0123456789abcdefghijklmnopqrstuv python manage.py collectstatic --noinput
RUN useradd --system --home /app qatysu && mkdir -p /var/lib/qatysu/media \
    && chown qatysu /var/lib/qatysu/media
USER qatysu
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
