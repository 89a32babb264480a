# syntax=docker/dockerfile:1
# The images of the six services, one build target each (the target is the service's name):
#   docker build --target auth --build-arg VERSION=0.1.0 --build-arg GIT_REVISION=$(git rev-parse HEAD) \
#     --build-arg SOURCE_URL=$(git remote get-url origin) -t lift/auth:0.1.0 .
# One recipe rather than a Dockerfile per service folder: every service is built from the same
# workspace (kit, SDK, lockfile) by the same bundler, so six copies would only drift apart. Each
# target sets its own PORT, so an image runs on its seed port with no extra environment, and its
# HEALTHCHECK probes that port. See docs/deployment/production-compose.md#images.
ARG NODE_VERSION=20

# --- Every workspace's dependencies, dev included (the bundler), native addons compiled ---
FROM node:${NODE_VERSION}-bookworm-slim AS dependencies
WORKDIR /app
# better-sqlite3 12 compiles from source when no prebuilt binary can be fetched; usearch (memory's
# vector index) ships prebuilt binaries for linux-x64 and linux-arm64 and needs no compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# Every workspace's package.json, so npm ci checks each against the lockfile (a missing one is
# linked from the lockfile's record alone, unchecked). Sources come later: this layer is reused
# until a manifest or the lockfile changes.
COPY packages/kit/package.json packages/kit/
COPY packages/sdk/package.json packages/sdk/
COPY services/gateway/package.json services/gateway/
COPY services/auth/package.json services/auth/
COPY services/billing/package.json services/billing/
COPY services/memory/package.json services/memory/
COPY services/observability/package.json services/observability/
COPY services/registry/package.json services/registry/
COPY modules/_template/package.json modules/_template/
COPY cli/package.json cli/
COPY console/package.json console/
# The sources are not here yet, so the root postinstall (bundling) must not run: scripts are
# skipped, then the two packages that need theirs are built.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild

# --- The bundles lift up runs: dist/services/<name>/main.js and shared chunks ---
FROM dependencies AS build
COPY tsconfig.base.json ./
COPY packages packages
COPY services services
COPY cli cli
COPY console console
# The services' bundles and the web console (dist/console, which the gateway serves at /console).
RUN node --import tsx cli/src/main.ts build

# --- Production dependencies of the six services (not the CLI's bundler, not the dev tools) ---
# One layer all six images share, so a host running them all pulls and stores it once. The bundles
# hold the services' own code and most libraries; node_modules serves what esbuild leaves outside
# (native addons, packages reading their own files, the AWS SDK). npm ci starts from an empty
# node_modules and reads the npm cache the first install filled; better-sqlite3's compiled binary
# is carried over rather than compiled a second time.
FROM dependencies AS production-modules
RUN mv node_modules/better-sqlite3/build /tmp/better-sqlite3-build \
 && npm ci --omit=dev --no-audit --no-fund --ignore-scripts --prefer-offline --include-workspace-root=false \
      --workspace=@lift/gateway --workspace=@lift/auth --workspace=@lift/billing \
      --workspace=@lift/memory --workspace=@lift/observability --workspace=@lift/registry \
 && mv /tmp/better-sqlite3-build node_modules/better-sqlite3/build \
 && rm -rf node_modules/@lift node_modules/.bin

# --- What every service image shares ---
FROM node:${NODE_VERSION}-bookworm-slim AS service-runtime
ARG NODE_VERSION
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
# data/: SQLite files, mail files and event outboxes when no PostgreSQL or Redis is configured.
RUN mkdir -p /app/data && chown node:node /app/data
COPY --from=production-modules /app/node_modules ./node_modules
COPY --from=build /app/dist/services/chunks ./dist/services/chunks
USER node
# Last in this stage: a new revision changes only the metadata, not the layers above.
ARG VERSION=0.0.0-dev
ARG GIT_REVISION=unknown
ARG SOURCE_URL=""
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.vendor="Lift" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"
# The image has no curl: node asks the service's own /health (liveness, no dependencies).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((answer) => process.exit(answer.ok ? 0 : 1), () => process.exit(1))"]

# --- One target per service. CMD in exec form: node is PID 1 and SIGTERM reaches its graceful shutdown ---
FROM service-runtime AS gateway
ENV LIFT_SERVICE=gateway PORT=8000
LABEL org.opencontainers.image.title="lift/gateway" \
      org.opencontainers.image.description="Lift OS Core gateway: routing, edge authentication, rate limits, quotas"
COPY --from=build /app/dist/services/gateway ./dist/services/gateway
# The web console: static files the gateway serves at /console (CONSOLE_DIR's default, dist/console).
COPY --from=build /app/dist/console ./dist/console
# 8443 serves HTTPS only when TLS_CERT_FILE and TLS_KEY_FILE are set.
EXPOSE 8000 8443
CMD ["node", "dist/services/gateway/main.js"]

FROM service-runtime AS auth
ENV LIFT_SERVICE=auth PORT=8001
LABEL org.opencontainers.image.title="lift/auth" \
      org.opencontainers.image.description="Lift OS Core auth: users, organisations, tokens, API keys"
COPY --from=build /app/dist/services/auth ./dist/services/auth
EXPOSE 8001
CMD ["node", "dist/services/auth/main.js"]

FROM service-runtime AS billing
ENV LIFT_SERVICE=billing PORT=8002
LABEL org.opencontainers.image.title="lift/billing" \
      org.opencontainers.image.description="Lift OS Core billing: plans, subscriptions, usage, invoices"
COPY --from=build /app/dist/services/billing ./dist/services/billing
EXPOSE 8002
CMD ["node", "dist/services/billing/main.js"]

FROM service-runtime AS memory
ENV LIFT_SERVICE=memory PORT=8003
LABEL org.opencontainers.image.title="lift/memory" \
      org.opencontainers.image.description="Lift OS Core memory: per-organisation memory and hybrid search"
COPY --from=build /app/dist/services/memory ./dist/services/memory
EXPOSE 8003
CMD ["node", "dist/services/memory/main.js"]

FROM service-runtime AS observability
ENV LIFT_SERVICE=observability PORT=8004
LABEL org.opencontainers.image.title="lift/observability" \
      org.opencontainers.image.description="Lift OS Core observability: health history, logs, metrics, alerts"
COPY --from=build /app/dist/services/observability ./dist/services/observability
EXPOSE 8004
CMD ["node", "dist/services/observability/main.js"]

FROM service-runtime AS registry
ENV LIFT_SERVICE=registry PORT=8005
LABEL org.opencontainers.image.title="lift/registry" \
      org.opencontainers.image.description="Lift OS Core registry: module manifests, heartbeats, discovery"
COPY --from=build /app/dist/services/registry ./dist/services/registry
EXPOSE 8005
CMD ["node", "dist/services/registry/main.js"]
