# Architect: build with `docker build -t architect .`, run with `docker compose up --build` (see docker-compose.yml).
# CI lints this file (dockerfile-utils) and follows its recipe without Docker: `npm run image:check`.

# ---- build: all dependencies, compile src/ to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci: exactly the lockfile, or a refusal when it is out of date.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc -p tsconfig.build.json: rootDir src, outDir dist, so src/main.ts becomes dist/main.js.
RUN npm run build

# ---- runtime: production dependencies, compiled code and the agent files ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY agents ./agents
# OAuth mode's installation store schema, applied by node-pg-migrate at start-up.
COPY migrations ./migrations
# The files stay root-owned and read-only to the process; it only reads them.
USER node
# GET /healthz and /readyz in every mode and role; POST /slack/events in HTTP mode.
EXPOSE 3000
# No curl in slim images: node itself checks /healthz on $PORT (default 3000).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node runs as PID 1 and handles SIGTERM itself (src/main.ts stops gracefully).
CMD ["node", "dist/main.js"]
