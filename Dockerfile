# syntax=docker/dockerfile:1
# Multi-stage build: UI with Node, binary with Go, runtime on distroless as
# a non-root user. The binary embeds the UI and the migrations.

FROM node:20-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY backend/httpapi/openapi.yaml /src/backend/httpapi/openapi.yaml
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist ./frontend/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/strategieraum ./cmd/strategieraum

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/strategieraum /usr/local/bin/strategieraum
USER nonroot:nonroot
WORKDIR /home/nonroot
ENV STRATEGIERAUM_ADDR=:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/usr/local/bin/strategieraum", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/strategieraum"]
CMD ["serve"]
