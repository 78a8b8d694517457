# sagicheck LINE bot: Node 24 runs the TypeScript sources directly (type stripping), no build step.
FROM node:24-slim

# MALLOC_ARENA_MAX and --max-semi-space-size below: as in package.json's start script (docs/deploy.md,
# "Memory"; test/launch/start-settings.test.ts holds the two to the same).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PORT=8080 \
    HOST=0.0.0.0 \
    STORE_URL=sqlite:/data/sagicheck.db

WORKDIR /app

# Production dependencies only, from the lockfile. The "node" devDependency (which pins Node for
# npm scripts on developer machines) is left out: the image's own Node 24 runs the server.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY rules ./rules
COPY src ./src
COPY webhooks ./webhooks
COPY bin ./bin

# The sqlite file lives on a volume (fly.toml mounts one at /data); owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# node directly (not npm start): SIGTERM reaches the server, which finishes accepted events and exits.
CMD ["node", "--max-semi-space-size=4", "src/server/main.ts"]
