# KPO in a container (docs/deploy.md): a multi-stage Debian 12 build and a
# small runtime image that runs kpo-server as a non-root user, keeps its data
# in a volume and reports readiness to Docker.
#   docker build -t kpo .
#   docker run -p 8080:8080 -v kpo-data:/data kpo                   # production shape
#   docker run -p 8080:8080 kpo kpo-server --config /etc/kpo/kpo.conf --demo
# The volume starts with the demo content indexed; kpo-admin and kpo-index
# run in the same image: docker exec <container> kpo-admin --data /data ...
# Not built in CI (no Docker there): deploy/container-check.sh builds and runs
# it with podman on a base image made by debootstrap (docs/deploy.md); with
# KPO_CONTAINER_FULL=1 the whole file, build stage included.
# The base images are build arguments for that check; the defaults are the
# official Debian images.
ARG BASE_IMAGE=debian:12
ARG RUNTIME_IMAGE=debian:12-slim

FROM ${BASE_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates libpistache-dev rapidjson-dev \
      libxapian-dev libcmark-dev libyaml-cpp-dev nlohmann-json3-dev libsodium-dev \
      libsqlite3-dev libgtest-dev libgmock-dev libical-dev liboath-dev libmagic-dev wdutch libkainjow-mustache-dev \
      nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Behind a TLS-inspecting proxy, npm needs the proxy's CA: mount it and name it
# (`-v /path/ca.crt:/run/build-ca.crt:ro --build-arg
# NODE_EXTRA_CA_CERTS=/run/build-ca.crt`). An ARG is seen by this stage's RUN
# steps only, so nothing of it reaches the runtime image.
ARG NODE_EXTRA_CA_CERTS
RUN npm ci --no-audit --no-fund && node scripts/portal-assets.mjs
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKPO_BENCHMARKS=OFF -DKPO_WERROR=OFF \
    && cmake --build build -j"$(nproc)" --target kpo-server kpo-index kpo-admin \
    && strip build/backend/kpo-server build/backend/kpo-admin build/indexer/kpo-index \
    && ./build/indexer/kpo-index --content content --data /data

FROM ${RUNTIME_IMAGE}
# Runtime libraries only (no compilers, no -dev packages).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpistache0 libxapian30 libcmark0.30.2 libyaml-cpp0.7 libsodium23 libsqlite3-0 wdutch liboath0 libmagic1 poppler-utils unzip libical3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 kpo \
    && useradd --system --uid 10001 --gid kpo --home-dir /data --no-create-home \
         --shell /usr/sbin/nologin kpo \
    && mkdir -p /etc/kpo /data && chown kpo:kpo /data
COPY --from=build /src/build/backend/kpo-server /src/build/backend/kpo-admin \
                  /src/build/indexer/kpo-index /usr/local/bin/
COPY --from=build --chown=kpo:kpo /data /data
COPY --from=build /src/static /srv/kpo/static
# The configuration (docs/operations.md); KPO_* variables override it.
RUN printf '%s\n' 'data = /data' 'address = 0.0.0.0' 'port = 8080' \
      'static = /srv/kpo/static' > /etc/kpo/kpo.conf \
    && kpo-server --config /etc/kpo/kpo.conf --check-config
USER kpo
VOLUME ["/data"]
EXPOSE 8080
ENV KPO_CONFIG=/etc/kpo/kpo.conf
# Readiness, not just liveness: database and index open, no backlog. Bash's
# /dev/tcp, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /api/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
CMD ["kpo-server", "--config", "/etc/kpo/kpo.conf"]
