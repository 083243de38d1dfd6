#!/usr/bin/env bash
# Builds the runtime image offline with buildah, as the Dockerfile's last
# stage describes it (FROM scratch: the static binary, CA certificates, a
# passwd naming user 65532, /data owned by it), then tries it: starts the
# server from the image, waits for /healthz, logs in with a demo account
# through the API and stops it.
#
# No registry is needed: the image starts from scratch and the binary is
# built here. Running a container needs namespaces that some machines (a
# container without privileges, say) do not grant; then the script runs the
# binary from the image's own file system outside a container, with the
# image's environment, and says plainly what could not run.
#
# Needs root, buildah (Debian: apt-get install buildah) and, to run the
# image, podman. Storage lives in a temporary directory that is removed at
# the end. Exit status 0 only if the image was built and the server from it
# answered the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/strategieraum:ci}
PORT=${PORT:-18080}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
work=$(mktemp -d /tmp/strategieraum-image.XXXXXX)
store=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
export BUILDAH_FORMAT=docker # the health check is a Docker image setting
say() { printf '[image] %s\n' "$*"; }

ctr="" mnt="" pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  if command -v podman >/dev/null; then podman "${store[@]}" rm -f strategieraum-ci >/dev/null 2>&1 || true; fi
  [ -n "$mnt" ] && buildah "${store[@]}" umount "$ctr" >/dev/null 2>&1 || true
  [ -n "$ctr" ] && buildah "${store[@]}" rm "$ctr" >/dev/null 2>&1 || true
  buildah "${store[@]}" rmi -af >/dev/null 2>&1 || true
  rm -rf "$work" 2>/dev/null || { chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"; }
}
trap cleanup EXIT

# The file system of the image: what the Dockerfile's build stage puts in /out.
[ -f frontend/dist/index.html ] || make ui
rootfs=$work/rootfs
mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc/ssl/certs" "$rootfs/data"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" \
  -o "$rootfs/usr/local/bin/strategieraum" ./cmd/strategieraum
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
echo 'strategieraum:x:65532:65532:Strategieraum:/data:/sbin/nologin' >"$rootfs/etc/passwd"
echo 'strategieraum:x:65532:' >"$rootfs/etc/group"
chown 65532:65532 "$rootfs/data"
chmod 0750 "$rootfs/data"
if ldd "$rootfs/usr/local/bin/strategieraum" >/dev/null 2>&1; then
  say "FAIL: the binary is dynamically linked"; exit 1
fi
say "static binary: $(du -h "$rootfs/usr/local/bin/strategieraum" | cut -f1)"

# The image: the same configuration as the Dockerfile's last stage.
ctr=$(buildah "${store[@]}" from scratch)
buildah "${store[@]}" copy "$ctr" "$rootfs/" / >/dev/null
# buildah copy makes everything root's; /data must belong to the user.
m=$(buildah "${store[@]}" mount "$ctr")
chown 65532:65532 "$m/data" && chmod 0750 "$m/data"
buildah "${store[@]}" umount "$ctr" >/dev/null
buildah "${store[@]}" config \
  --user 65532:65532 --workingdir /data \
  --env STRATEGIERAUM_ADDR=:8080 --env STRATEGIERAUM_DATABASE_URL=/data/strategieraum.db \
  --port 8080/tcp --volume /data \
  --healthcheck 'CMD /usr/local/bin/strategieraum healthcheck' \
  --healthcheck-interval 10s --healthcheck-timeout 3s --healthcheck-start-period 20s \
  --entrypoint '["/usr/local/bin/strategieraum"]' --cmd serve \
  --label org.opencontainers.image.title=strategieraum \
  --label org.opencontainers.image.version="$VERSION" \
  "$ctr"
buildah "${store[@]}" commit --format docker --rm "$ctr" "$IMAGE" >/dev/null
ctr=""
say "built $IMAGE"

# What the image says about itself, and what is in it.
cfg=$(buildah "${store[@]}" inspect --type image --format \
  '{{.Docker.Config.User}}|{{.Docker.Config.Entrypoint}}|{{.Docker.Config.Cmd}}|{{.Docker.Config.Volumes}}|{{.Docker.Config.ExposedPorts}}|{{.Docker.Config.Healthcheck.Test}}|{{.Docker.Config.WorkingDir}}' "$IMAGE")
say "config: $cfg"
expect='65532:65532|[/usr/local/bin/strategieraum]|[serve]|map[/data:{}]|map[8080/tcp:{}]|[CMD /usr/local/bin/strategieraum healthcheck]|/data'
if [ "$cfg" != "$expect" ]; then
  say "FAIL: image configuration differs; want $expect"; exit 1
fi
ctr=$(buildah "${store[@]}" from "$IMAGE")
mnt=$(buildah "${store[@]}" mount "$ctr")
files=$(cd "$mnt" && find . -mindepth 1 \( -type f -o -type l \) | sort | tr '\n' ' ')
say "files: $files"
if [ "$files" != "./etc/group ./etc/passwd ./etc/ssl/certs/ca-certificates.crt ./usr/local/bin/strategieraum " ]; then
  say "FAIL: unexpected files in the image"; exit 1
fi
if [ "$(stat -c %u:%g "$mnt/data")" != "65532:65532" ]; then
  say "FAIL: /data is not owned by the image's user"; exit 1
fi
"$mnt/usr/local/bin/strategieraum" version

# check BASE: /healthz answers, the health check command agrees, and a demo
# account logs in through the API.
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
check() {
  local base=$1 hc=("${@:2}")
  for _ in $(seq 1 150); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$base/healthz" >/dev/null || { say "FAIL: /healthz does not answer"; return 1; }
  "${hc[@]}" >/dev/null || { say "FAIL: the health check command fails"; return 1; }
  local body status
  body=$(printf '{"email":"pate1@hh.example","password":"%s"}' "$password")
  status=$(curl -sS -o "$work/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "Origin: $base" --data "$body" "$base/api/session")
  if [ "$status" != 200 ] || ! grep -q 'pate1@hh.example' "$work/login.json"; then
    say "FAIL: demo login answered $status: $(head -c 300 "$work/login.json")"; return 1
  fi
  say "ok: /healthz, strategieraum healthcheck and the demo login (pate1@hh.example) at $base"
}

# First choice: run the image as a container.
ran=""
if command -v podman >/dev/null; then
  podman_run=(podman "${store[@]}" --cgroup-manager cgroupfs --events-backend none)
  if "${podman_run[@]}" run -d --name strategieraum-ci --network host --ulimit host \
      -e STRATEGIERAUM_ADDR=127.0.0.1:$PORT -e STRATEGIERAUM_DEMO_PASSWORD="$password" \
      "$IMAGE" serve --demo >"$work/podman.out" 2>&1; then
    if check "http://127.0.0.1:$PORT" "${podman_run[@]}" exec strategieraum-ci \
        /usr/local/bin/strategieraum healthcheck --addr 127.0.0.1:$PORT; then
      ran=container
    else
      "${podman_run[@]}" logs strategieraum-ci 2>&1 | tail -20 || true
      exit 1
    fi
    "${podman_run[@]}" stop -t 10 strategieraum-ci >/dev/null
  else
    say "NOTE: podman cannot run a container on this machine:"
    sed 's/^/[image]   /' "$work/podman.out" | tail -5
  fi
else
  say "NOTE: podman is not installed, so the image is not run as a container"
fi

# Otherwise: the binary from the image's file system, as the image's user
# and with its environment, outside a container.
if [ -z "$ran" ]; then
  say "NOTE: running /usr/local/bin/strategieraum from the image's file system OUTSIDE a container" \
    "(no namespaces, no volume, no health check scheduling by a runtime)"
  # The image's binary, copied out of the mount (whose path the user may
  # not traverse) into a directory it may read.
  chmod 0755 "$work"
  outside=$work/outside data=$work/outside/data
  mkdir -p "$data" && chmod 0755 "$outside" && chown 65532:65532 "$data"
  cp "$mnt/usr/local/bin/strategieraum" "$outside/strategieraum"
  setpriv --reuid 65532 --regid 65532 --clear-groups env -i \
    STRATEGIERAUM_ADDR=127.0.0.1:$PORT STRATEGIERAUM_DATABASE_URL="$data/strategieraum.db" \
    STRATEGIERAUM_DEMO_PASSWORD="$password" \
    "$outside/strategieraum" serve --demo >"$work/serve.log" 2>&1 &
  pid=$!
  if ! check "http://127.0.0.1:$PORT" "$outside/strategieraum" healthcheck --addr 127.0.0.1:$PORT; then
    tail -20 "$work/serve.log"; exit 1
  fi
  kill -TERM "$pid"
  wait "$pid" || { say "FAIL: the server did not stop cleanly"; tail -20 "$work/serve.log"; exit 1; }
  pid=""
  ran="binary from the image, outside a container"
fi
say "done: image built, inspected and run ($ran)"
