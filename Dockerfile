# Multi-stage Debian 12 build: the image runs kpo-server on the demo content.
#   docker build -t kpo . && docker run -p 8080:8080 kpo
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libpistache-dev rapidjson-dev libxapian-dev \
      libcmark-dev libyaml-cpp-dev nlohmann-json3-dev libsodium-dev libsqlite3-dev \
      libgtest-dev libgmock-dev libbenchmark-dev wdutch libkainjow-mustache-dev liboath-dev nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && node scripts/portal-assets.mjs
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKPO_BENCHMARKS=OFF \
    && cmake --build build -j"$(nproc)" --target kpo-server kpo-index kpo-admin \
    && ./build/indexer/kpo-index --content content --data /data

FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpistache0 libxapian30 libcmark0.30.2 libyaml-cpp0.7 libsodium23 libsqlite3-0 wdutch liboath0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data kpo
COPY --from=build /src/build/backend/kpo-server /src/build/backend/kpo-admin \
                  /src/build/indexer/kpo-index /usr/local/bin/
COPY --from=build --chown=kpo /data /data
COPY --from=build /src/static /srv/kpo/static
USER kpo
EXPOSE 8080
ENV KPO_DATA=/data KPO_PORT=8080 KPO_ADDRESS=0.0.0.0 KPO_STATIC=/srv/kpo/static
CMD ["kpo-server", "--demo"]
