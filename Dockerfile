FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY aseq_portal ./aseq_portal
COPY members ./members
COPY coverage ./coverage
COPY privacy ./privacy
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SETTINGS_MODULE=aseq_portal.settings.production DJANGO_SECRET_KEY=collectstatic-only \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db REDIS_URL=redis://build EMAIL_HOST=build \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 10001 aseq && mkdir -p /srv/aseq/media && chown aseq /srv/aseq/media
USER aseq
EXPOSE 8000
