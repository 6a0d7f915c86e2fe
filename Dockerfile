# syntax=docker/dockerfile:1
# One image for every needtoknow process: the gateway, the three subgraphs and the seed script.
# docker-compose.yml picks the process with `command:`; run alone, the image starts the gateway.
#   docker build -t needtoknow .
#   docker run --rm needtoknow node_modules/.bin/tsx subgraphs/hr/main.ts
FROM node:20-bookworm-slim

WORKDIR /app

# Production unless told otherwise: the code then refuses the public development secrets and
# turns introspection off. Listen on every interface so other containers can reach the service.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

# Dependencies first, so editing the source does not reinstall them. tsx is a runtime
# dependency: the TypeScript runs as it is, with no build step.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The source the processes need at run time (schemas and the supergraph included).
COPY tsconfig.json ./
COPY platform ./platform
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY shield ./shield
COPY reporting ./reporting
COPY stack ./stack
COPY seed ./seed
COPY scripts ./scripts
# The trusted-documents manifest the gateway reads at start-up (TRUSTED_DOCUMENTS_MANIFEST).
COPY api/trusted-documents.json ./api/trusted-documents.json

# The files stay owned by root; the processes run as the image's unprivileged `node` user.
USER node

# gateway, clients, hr, consent (only the gateway should be published).
EXPOSE 4000 4001 4002 4003

# tsx directly (not npm), so SIGTERM from `docker stop` reaches the process and it shuts down cleanly.
CMD ["node_modules/.bin/tsx", "gateway/main.ts"]
