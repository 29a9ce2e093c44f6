# The portal's image: the same code as `make run`, for the web, the workers and the nightly
# cycle (the command picks which; see terraform/compute.tf). Slim, no compiler in the final
# image, runs as an unprivileged user, with the CJK fonts the notices' PDFs embed.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY setup.cfg pyproject.toml README.md ./
COPY iaas iaas
COPY paas paas
COPY saas saas
COPY portal portal
RUN python -m venv /opt/portal \
 && /opt/portal/bin/pip install --quiet --upgrade pip \
 && /opt/portal/bin/pip install --quiet '.[aws]'

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin portal
COPY --from=build /opt/portal /opt/portal
# The letters' cut of Noto CJK (paas/notices/fonts.py), made once here rather than by each
# container at its first letter.
ENV PORTAL_NOTICE_FONT_CACHE=/opt/portal/fonts
RUN /opt/portal/bin/portal notices fonts
ENV PATH=/opt/portal/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTAL_ENV=production \
    PORTAL_DATA_DIR=/tmp/portal \
    PORTAL_BIND=0.0.0.0:8000
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["gunicorn", "--config", "python:portal.gunicorn_conf", "portal.wsgi:app"]
