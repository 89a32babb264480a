# syntax=docker/dockerfile:1
# One image recipe for all six services; SERVICE picks which one the image runs:
#   docker build --build-arg SERVICE=auth -t lift/auth-service .
# The image runs the same esbuild bundle as `lift up`, as the unprivileged node user.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS dependencies
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched; usearch (memory's
# vector index) uses its prebuilt binary or compiles the same way.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY services/gateway/package.json services/gateway/
COPY services/auth/package.json services/auth/
COPY services/billing/package.json services/billing/
COPY services/memory/package.json services/memory/
COPY services/observability/package.json services/observability/
COPY services/registry/package.json services/registry/
COPY cli/package.json cli/
# Sources are not here yet, so the root postinstall (bundling) is skipped; native packages are built.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3 esbuild usearch

FROM dependencies AS build
COPY tsconfig.base.json ./
COPY packages packages
COPY services services
COPY cli cli
RUN node --import tsx cli/src/main.ts build

FROM dependencies AS runtime-dependencies
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ARG SERVICE
RUN test -n "${SERVICE}" || (echo "build with --build-arg SERVICE=<gateway|auth|billing|memory|observability|registry>" && exit 1)
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    LIFT_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=runtime-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/services ./dist/services
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# SIGTERM reaches node directly (exec), so the graceful shutdown runs.
CMD ["sh", "-c", "exec node dist/services/${LIFT_SERVICE}/main.js"]
