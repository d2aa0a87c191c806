# The platform's own image: one image, three roles chosen by the command (see docker-compose.yml):
#   node dist/api/server.js (default) | node dist/workers/pipeline-worker.js | node dist/temporal/register.js
#
#   docker build -t aqi-platform:local .

# Debian (glibc), not Alpine: the Temporal worker's native core bridge and @swc/core ship glibc builds.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
# The npm that wrote package-lock.json; it also honours the `allowScripts` policy in package.json,
# which the npm bundled with Node 20 does not know.
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS base
ARG NPM_VERSION
RUN npm install --global "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# Dependencies alone, so this layer is rebuilt only when the manifests change.
FROM base AS deps
COPY package.json package-lock.json .npmrc ./
# `npm install` rather than `npm ci`: versions come from package-lock.json either way, but the lock was
# written against a registry mirror without other platforms' optional binaries, which `npm ci` rejects.
RUN npm install --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM base AS runtime
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: no production code needs an install script. The only dependency that relies on one,
# embedded-postgres, serves the Docker-less local stack, and this image uses the postgres container;
# esbuild and @swc/core find their platform binaries through optional dependencies without theirs.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Compiled code looks for these beside itself (paths are resolved from __dirname, so from dist/).
COPY db/migrations ./dist/db/migrations
COPY temporal/dynamic-config.yaml ./dist/temporal/dynamic-config.yaml
# The dashboard's sources: the API bundles them with esbuild when it starts (api/dashboard/bundle.ts).
COPY dashboard ./dist/dashboard
# The Python scorer every trained model logs for MLflow's python_function flavor (adapters/mlflow/pyfunc.ts).
COPY adapters/mlflow/python ./dist/adapters/mlflow/python
USER node
EXPOSE 8000
# No HEALTHCHECK here: the worker and the registration job share this image and serve no HTTP;
# docker-compose.yml gives each role its own check.
CMD ["node", "dist/api/server.js"]
