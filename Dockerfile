# syntax=docker/dockerfile:1
# baton-tableau: the Tableau connector for Baton, as a non-root container that runs with a read-only
# root filesystem. Started with no arguments it runs the default command, as ConductorOne's
# Kubernetes recipe expects: ConductorOne service mode when BATON_CLIENT_ID is set (tasks from
# ConductorOne, /healthz /readyz /metrics on BATON_HTTP_LISTEN), otherwise a one-shot sync into
# BATON_FILE. The self-run gRPC server is the `serve` subcommand, given explicitly.
#
#   docker build -t baton-tableau .
#   docker run --read-only --tmpfs /tmp --env-file c1-and-tableau.env baton-tableau    # service mode
#   docker run --read-only --tmpfs /tmp -v c1z:/data --env-file tableau.env baton-tableau   # one-shot sync
#   docker run --read-only --tmpfs /tmp --env-file tableau.env baton-tableau serve     # gRPC server

# --- toolchain: better-sqlite3 and zstd-napi are compiled from source, so node-gyp needs these ---
FROM node:20-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Compile native modules here instead of downloading prebuilt binaries from the internet.
ENV npm_config_build_from_source=true
WORKDIR /app

# --- build: every dependency, then TypeScript → dist/ ---
FROM toolchain AS build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; native modules are rebuilt explicitly.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 zstd-napi
COPY tsconfig.json tsconfig.build.json ./
COPY cmd ./cmd
COPY pkg ./pkg
COPY proto ./proto
RUN npm run build

# --- prod-deps: production dependencies only, native modules compiled for the runtime's Node ---
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm rebuild better-sqlite3 zstd-napi \
 && npm cache clean --force

# --- runtime: no compiler, no npm run, no root ---
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    BATON_LISTEN=0.0.0.0:50051 \
    BATON_HTTP_LISTEN=0.0.0.0:8080 \
    BATON_FILE=/data/sync.c1z \
    BATON_LOG_FORMAT=json \
    TMPDIR=/tmp
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The .proto files are read at runtime (codec and gRPC reflection).
COPY --from=build /app/proto ./proto
COPY package.json ./
# /data holds the c1z (a volume); /tmp must be a tmpfs or volume when the root filesystem is read-only.
RUN mkdir -p /data && chown 10001:10001 /data
VOLUME ["/data"]
# Numeric UID/GID so Kubernetes can verify runAsNonRoot without an /etc/passwd entry.
USER 10001:10001
EXPOSE 50051 8080
# Node is PID 1 on purpose: baton-tableau handles SIGTERM/SIGINT itself (drain, sign out, exit 0)
# and starts no child processes, so no init process is needed to forward signals or reap zombies.
STOPSIGNAL SIGTERM
# /healthz on BATON_HTTP_LISTEN: answered by `serve` and by service mode. A one-shot sync serves no
# HTTP and exits by itself; Docker may show it "unhealthy" if it outlives the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/cmd/healthcheck.js"]
# No CMD: no arguments means the default command (service mode with a client id, else a one-shot sync).
ENTRYPOINT ["node", "dist/cmd/baton-tableau.js"]
