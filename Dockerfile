# Switchboard: Node 22 slim, production dependencies only, non-root. `node src/main.ts` applies
# pending migrations, then serves (TypeScript runs through Node's type stripping, no build step).
FROM node:22-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data

WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs one, and the Node check of preinstall is for people on an old Node.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY src ./src
COPY entities ./entities
COPY sla ./sla
COPY realtime ./realtime
# The demo (`--demo`) runs the example FAQ bot.
COPY examples ./examples

# The embedded database and generated secrets live in /data when DATABASE_URL is not set.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# The flag `npm start` gives Node 22 (src/tools/node-flags.mjs): AsyncLocalStorage without async hooks.
CMD ["node", "--experimental-async-context-frame", "src/main.ts"]
