# syntax=docker/dockerfile:1
#
# The web front end (services/portal) as its own static image: the esbuild output
# (services/portal/dist/public) served by nginx as a non-root user. Build it from the repository
# root:
#
#   docker build -f deploy/docker/portal.Dockerfile -t <registry>/civil-affairs/portal:0.1.0 \
#     --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" .
#
# What the Helm chart (charts/civil-affairs, `portal.enabled`) relies on. Keep it stable:
#   - nginx listens on 8080 (plain HTTP; TLS ends at the Ingress), as uid/gid 101:101;
#   - GET /healthz answers 200 (the chart's probes);
#   - the site is /usr/share/nginx/html. config.json is NOT in the image: the chart mounts it at
#     /usr/share/nginx/html/config.json ({"gatewayUrl": "https://<gateway host>"}). Without it the
#     page says it cannot load its configuration;
#   - the Content-Security-Policy header is in /etc/nginx/portal/csp.conf. The default here allows
#     the page to connect to itself and to any https: origin (the gateway's URL is run-time
#     configuration); the chart mounts its own csp.conf naming exactly the gateway's origin and
#     `portal.connectSrc` (the OpenID provider);
#   - nothing is written outside /tmp (pid file and nginx's temp paths), so it runs with
#     `readOnlyRootFilesystem: true` and an emptyDir at /tmp.
#
# The nginx configuration is written inline below (heredocs) rather than copied from
# deploy/docker/: the repository's .dockerignore leaves deploy/docker out of the build context.
#
# Routing in the portal is in the URL fragment (`#/dibao`, `#/staff?year=2023`), so nginx needs
# no fallback to index.html: an unknown path is a 404. File names are not content-hashed
# (app.js, styles.css), so nothing is cached for long: every file is sent with
# `Cache-Control: no-cache` (the browser revalidates with ETag / Last-Modified and gets a 304),
# config.json with `no-store`.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

# ---------------------------------------------------------------------------------------------
# manifests: as in deploy/docker/Dockerfile, only the root package.json, package-lock.json and
# .npmrc plus every workspace's package.json, so `npm ci` is cached until one of them changes
# and the lockfile matches the workspaces that npm finds.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find libs services deploy e2e -maxdepth 2 -name package.json -not -path '*/node_modules/*' \
      -exec cp --parents {} /manifests/ \;

# ---------------------------------------------------------------------------------------------
# build: every dependency (esbuild, echarts, oauth4webapi), then the portal's esbuild bundle.
# --ignore-scripts: esbuild finds its binary in the @esbuild/<platform> optional dependency, and
# nothing else the portal build uses needs an install script.
FROM ${NODE_IMAGE} AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NX_DAEMON=false \
    NX_NO_CLOUD=true \
    SCARF_ANALYTICS=false
WORKDIR /src
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts
COPY . .
# The build writes its own default config.json (a gateway on 127.0.0.1); drop it, the chart
# mounts the real one.
RUN npm run build -w services/portal \
 && rm services/portal/dist/public/config.json \
 && test -f services/portal/dist/public/index.html

# ---------------------------------------------------------------------------------------------
# runtime: nginx-unprivileged (nginx as uid 101, no root needed to bind 8080).
FROM ${NGINX_IMAGE} AS runtime

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG NGINX_IMAGE
LABEL org.opencontainers.image.title="civil-affairs-portal" \
      org.opencontainers.image.description="Civil-affairs platform web front end (民政服务平台: citizens' portal and staff dashboard), static files served by nginx on port 8080." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.documentation="docs/operations.md" \
      org.opencontainers.image.base.name="${NGINX_IMAGE}"

# The base image leaves /etc/nginx writable by the nginx user (for its envsubst templates, which
# are not used here). Make the configuration root's and read-only for nginx, and drop the
# default server (conf.d/default.conf): the nginx.conf below is the whole configuration.
USER 0:0
RUN rm -f /etc/nginx/conf.d/default.conf \
 && rm -rf /usr/share/nginx/html/* \
 && mkdir -p /etc/nginx/portal \
 && chown -R root:root /etc/nginx \
 && chmod -R go-w /etc/nginx

COPY --chmod=0644 <<'EOF' /etc/nginx/nginx.conf
# civil-affairs portal: static files on 8080, everything writable under /tmp.
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;

    client_body_temp_path /tmp/client_temp;
    proxy_temp_path       /tmp/proxy_temp;
    fastcgi_temp_path     /tmp/fastcgi_temp;
    uwsgi_temp_path       /tmp/uwsgi_temp;
    scgi_temp_path        /tmp/scgi_temp;

    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
    access_log /dev/stdout main;

    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    charset utf-8;
    charset_types text/css application/javascript application/json text/plain;

    gzip on;
    gzip_vary on;
    gzip_min_length 1024;
    gzip_types text/css application/javascript application/json text/plain image/svg+xml;

    server {
        listen 8080;
        server_name _;
        root /usr/share/nginx/html;
        index index.html;
        # Redirects (e.g. a directory without its slash) stay relative: the Ingress's host and
        # scheme, not nginx's port 8080.
        absolute_redirect off;

        # Probes: no file, no log.
        location = /healthz {
            access_log off;
            default_type text/plain;
            return 200 "ok\n";
        }

        # Run-time configuration (mounted by the chart): never cached, so a change shows at the
        # next page load.
        location = /config.json {
            include /etc/nginx/portal/headers.conf;
            add_header Cache-Control "no-store" always;
        }

        # index.html, app.js, styles.css: names are not content-hashed, so the browser
        # revalidates every time (ETag / Last-Modified → 304). Routing is in the fragment: no
        # fallback to index.html.
        location / {
            include /etc/nginx/portal/headers.conf;
            add_header Cache-Control "no-cache" always;
            try_files $uri $uri/ =404;
        }
    }
}
EOF

# add_header in a location replaces the server's, so every location includes this file.
COPY --chmod=0644 <<'EOF' /etc/nginx/portal/headers.conf
add_header X-Content-Type-Options "nosniff" always;
add_header Referrer-Policy "no-referrer" always;
add_header X-Frame-Options "DENY" always;
add_header Cross-Origin-Opener-Policy "same-origin" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), payment=()" always;
include /etc/nginx/portal/csp.conf;
EOF

# The default policy; the chart replaces this file with one naming the gateway's origin.
# style-src 'unsafe-inline': ECharts sets inline styles.
COPY --chmod=0644 <<'EOF' /etc/nginx/portal/csp.conf
add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' https:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'" always;
EOF

# Root-owned, world-readable: nginx cannot change the site it serves.
COPY --from=build --chown=root:root /src/services/portal/dist/public/ /usr/share/nginx/html/

EXPOSE 8080

# Numeric, so Kubernetes can check runAsNonRoot (the base image's nginx user and group).
USER 101:101

# No HEALTHCHECK: Kubernetes probes /healthz itself (and the chart configures those probes).
# ENTRYPOINT and CMD are the base image's (/docker-entrypoint.sh nginx -g 'daemon off;'); its
# start scripts find nothing to do (no default.conf, no templates) and leave the read-only
# root file system alone.
