# Imbalance Explorer in a container: docker build -t imbalance-explorer . && docker run -p 8501:8501 imbalance-explorer
# Written where no container engine runs, so never built there (see docs/deploy.md). Its install step is
# scripts/install.sh, the very script CI runs before the tests, so the image and CI cannot drift apart.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Install first: this layer is reused until the requirements or the install scripts change.
COPY requirements.txt requirements-dev.txt ./
COPY scripts/ scripts/
RUN bash scripts/install.sh app --chromium && rm -rf /var/lib/apt/lists/*

# The app's files stay owned by root: the user it runs as can read them, not change them.
COPY . .
RUN useradd --create-home --uid 10001 app
USER app

# Settings. Streamlit reads STREAMLIT_<SECTION>_<OPTION>; .streamlit/config.toml holds the rest
# (XSRF protection on, error details hidden). The upload cap is in MB.
ENV STREAMLIT_SERVER_MAX_UPLOAD_SIZE=200 \
    IE_INSTALLED=1 \
    IE_CHROMIUM=/usr/bin/chromium

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python3", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(r.read().strip() != b'ok')"]
ENTRYPOINT ["bash", "scripts/start.sh", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
