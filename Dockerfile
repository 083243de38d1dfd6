# syntax=docker/dockerfile:1
# Strategieraum as one static binary in an image that holds nothing else but
# CA certificates (for single sign-on against an https issuer) and the user
# it runs as. The binary embeds the UI, the migrations and time zone data.
# .ci/image.sh builds the same image with buildah, without this file (see
# docs/container.md); keep the two in step.

# UI: dependencies from the lock file first, so that they are cached apart
# from the sources; host node_modules never enter (.dockerignore).
FROM node:22-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY backend/httpapi/openapi.yaml /src/backend/httpapi/openapi.yaml
RUN npm run build

# Binary: static (CGO_ENABLED=0; the SQLite driver is pure Go).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist ./frontend/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/usr/local/bin/strategieraum ./cmd/strategieraum
# The runtime's few files: CA certificates, a passwd/group naming the
# unprivileged user 65532, and the data directory it owns.
RUN mkdir -p /out/etc/ssl/certs /out/data && \
    cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ && \
    echo 'strategieraum:x:65532:65532:Strategieraum:/data:/sbin/nologin' > /out/etc/passwd && \
    echo 'strategieraum:x:65532:' > /out/etc/group && \
    chown 65532:65532 /out/data && chmod 0750 /out/data

FROM scratch
COPY --from=build /out/ /
USER 65532:65532
WORKDIR /data
ENV STRATEGIERAUM_ADDR=:8080 \
    STRATEGIERAUM_DATABASE_URL=/data/strategieraum.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["/usr/local/bin/strategieraum", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/strategieraum"]
CMD ["serve"]
