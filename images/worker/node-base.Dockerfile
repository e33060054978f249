# The offline stand-in for the official node:<version>-bookworm-slim image, for machines without a
# container registry (scripts/build-worker-image.sh): the debootstrap'ed Debian bookworm base, the
# official Node.js build and npm from their npm tarballs (as in images/job/Dockerfile), and the
# official image's `node` user (uid and gid 1000).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ARG NODE_VERSION
ARG NODE_PLATFORM
ARG NPM_VERSION
COPY npm/ /tmp/npm/
RUN tar -xzf "/tmp/npm/node-${NODE_PLATFORM}-${NODE_VERSION}.tgz" -C /usr/local/bin \
      --strip-components=2 --no-same-owner package/bin/node \
 && mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf "/tmp/npm/npm-${NPM_VERSION}.tgz" -C /usr/local/lib/node_modules/npm \
      --strip-components=1 --no-same-owner \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm -rf /tmp/npm \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
