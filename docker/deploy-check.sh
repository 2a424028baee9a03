#!/usr/bin/env bash
# make deploy-check: prove the image and the Compose stack run, on a machine that may have no
# Docker engine yet and no image registry: engine → base image → wheelhouse → image → the
# build context as the engine saw it → the stack up (two gateway replicas behind nginx) →
# a household query through both replicas → the audit chain verified → everything down.
# Prints how long each step took. Needs root for apt-get and dockerd when those are missing.
#
# Environment: MESH_DEPLOY_CHECK_IF_ENGINE=1 (CI) passes, saying so, when no engine can be
# started on this machine (not root, or dockerd will not run); MESH_BASE_IMAGE (default: python:3.11-slim-bookworm if present locally, else a
# Debian bookworm built here with debootstrap), MESH_CHECK_PORT (18400), MESH_SEED_PEOPLE (2000).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=civic-mesh-check
PORT=${MESH_CHECK_PORT:-18400}
PEOPLE=${MESH_SEED_PEOPLE:-2000}
LOCAL_BASE=civic-mesh-base:bookworm
IMAGE=civic-mesh:dev
PYTHON=${PYTHON:-.venv/bin/python}
STARTED_DOCKERD=""
declare -a TIMINGS=()
T0=$(date +%s.%N)

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'deploy-check: %s\n' "$*" >&2; exit 1; }
no_engine() {
    if [ -n "${MESH_DEPLOY_CHECK_IF_ENGINE:-}" ]; then
        printf 'deploy-check SKIPPED: %s\n' "$*"
        exit 0
    fi
    fail "$*"
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() { # step NAME COMMAND...: run it and remember its duration
    local name=$1 start
    shift
    say "$name"
    start=$(date +%s.%N)
    "$@"
    TIMINGS+=("$(printf '%-34s %7s s' "$name" "$(elapsed "$start")")")
}

compose() {
    local files=(-f docker/compose.yaml)
    [ -n "${DEBIAN_SERVICES:-}" ] && files+=(-f docker/compose.debian.yaml)
    MESH_BASE_IMAGE=$BASE MESH_IMAGE=$IMAGE MESH_PORT=$PORT MESH_SEED_PEOPLE=$PEOPLE \
        $COMPOSE -p "$PROJECT" "${files[@]}" "$@"
}

teardown() {
    local code=$?
    if [ -n "${COMPOSE:-}" ]; then
        if [ "$code" -ne 0 ]; then
            say "logs (the check failed)"
            compose logs --no-color --tail 40 2>&1 | tail -n 200 || true
        fi
        say "tearing down"
        compose down --volumes --remove-orphans > /dev/null 2>&1 || true
    fi
    if [ -n "$STARTED_DOCKERD" ]; then
        kill "$STARTED_DOCKERD" 2>/dev/null || true
        wait "$STARTED_DOCKERD" 2>/dev/null || true
        echo "stopped the dockerd this check started"
    fi
    say "timings"
    printf '%s\n' "${TIMINGS[@]}"
    printf '%-34s %7s s\n' "total" "$(elapsed "$T0")"
    [ "$code" -eq 0 ] && echo "deploy-check passed" || echo "deploy-check FAILED ($code)"
    exit "$code"
}
trap teardown EXIT

engine() {
    if ! command -v docker > /dev/null || ! command -v dockerd > /dev/null; then
        [ "$(id -u)" -eq 0 ] || no_engine "docker.io is not installed, and installing it needs root"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io > /dev/null; } \
            || no_engine "could not install docker.io with apt"
    fi
    if ! docker info > /dev/null 2>&1; then
        [ "$(id -u)" -eq 0 ] || no_engine "no Docker engine runs, and starting dockerd needs root"
        dockerd > /tmp/civic-mesh-dockerd.log 2>&1 &
        STARTED_DOCKERD=$!
        for _ in $(seq 60); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
        docker info > /dev/null 2>&1 || no_engine "dockerd did not start: see /tmp/civic-mesh-dockerd.log"
    fi
    if docker compose version > /dev/null 2>&1; then
        COMPOSE="docker compose"
    else
        command -v docker-compose > /dev/null \
            || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose > /dev/null
        COMPOSE=docker-compose
    fi
    echo "engine $(docker version --format '{{.Server.Version}}'), compose: $($COMPOSE version | head -n 1)"
}

base_image() {
    if [ -n "${MESH_BASE_IMAGE:-}" ]; then
        BASE=$MESH_BASE_IMAGE
    elif docker image inspect python:3.11-slim-bookworm > /dev/null 2>&1; then
        BASE=python:3.11-slim-bookworm
    else
        BASE=$LOCAL_BASE
        if ! docker image inspect "$BASE" > /dev/null 2>&1; then
            command -v debootstrap > /dev/null \
                || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
            local root
            root=$(mktemp -d /var/tmp/civic-mesh-base.XXXXXX)
            debootstrap --variant=minbase \
                --include=python3,python3-venv,ca-certificates,postgresql,nginx-light \
                bookworm "$root" > /tmp/civic-mesh-debootstrap.log \
                || fail "debootstrap failed: see /tmp/civic-mesh-debootstrap.log"
            rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
            tar -C "$root" -c . | docker import - "$BASE" > /dev/null
            rm -rf "$root"
        fi
    fi
    # Without the public postgres and nginx images, run both from Debian's packages in the base.
    if ! docker image inspect postgres:16 > /dev/null 2>&1 \
        || ! docker image inspect nginx:1.27-bookworm > /dev/null 2>&1; then
        DEBIAN_SERVICES=1
    fi
    echo "base image $BASE$([ -n "${DEBIAN_SERVICES:-}" ] && echo ', postgres and nginx from it')"
}

wheelhouse() {
    local want have
    want=$(docker run --rm --network none --entrypoint python3 "$BASE" -c \
        'import sys; print("%d.%d" % sys.version_info[:2])')
    have=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    [ "$want" = "$have" ] || fail "the base has Python $want but $PYTHON is $have: wheels would not fit"
    rm -rf build/wheelhouse
    "$PYTHON" -m pip wheel --quiet --wheel-dir build/wheelhouse . 2>&1 | grep -v '^WARNING: Location' || true
    ls build/wheelhouse/civic_mesh-*.whl > /dev/null || fail "no civic-mesh wheel was built"
    echo "$(ls build/wheelhouse | wc -l) wheels, $(du -sh build/wheelhouse | cut -f1)"
}

build_image() {
    docker build --network none -q -f docker/Dockerfile --build-arg "BASE_IMAGE=$BASE" -t "$IMAGE" . > /dev/null
    docker image inspect "$IMAGE" --format 'image {{.Id}} {{.Size}} bytes, user {{.Config.User}}'
    [ "$(docker image inspect "$IMAGE" --format '{{.Config.User}}')" = "mesh" ] || fail "the image runs as root"
}

# What the engine itself received as the build context (from the root .dockerignore): copy it
# into a throwaway image and list it, with the classic builder and with BuildKit where the CLI
# has it. Nothing but the wheelhouse may be in it.
context_probe() {
    local builder cli files probe=civic-mesh-context-probe:check
    for builder in 0 1; do
        cli=docker
        # A docker CLI without buildx has no BuildKit; Debian's 20.10 CLI has it built in.
        if [ "$builder" = 1 ] && ! docker buildx version > /dev/null 2>&1; then
            cli=/usr/bin/docker
        fi
        if ! printf 'FROM %s\nCOPY . /context\n' "$BASE" | DOCKER_BUILDKIT=$builder \
            "$cli" build --network none -q -t "$probe" -f - . > /dev/null 2> /tmp/civic-mesh-probe.log; then
            if [ "$builder" = 1 ]; then
                echo "BuildKit: not available here ($(head -n 1 /tmp/civic-mesh-probe.log))"
                continue
            fi
            fail "the context probe did not build: $(cat /tmp/civic-mesh-probe.log)"
        fi
        files=$(docker run --rm --network none --entrypoint find "$probe" /context -type f | sort)
        docker rmi -f "$probe" > /dev/null
        [ -n "$files" ] || fail "the build context is empty"
        if printf '%s\n' "$files" | grep -vE '^/context/build/wheelhouse/[^/]+\.whl$'; then
            fail "files other than wheels in the build context (above)"
        fi
        echo "$([ "$builder" = 1 ] && echo BuildKit || echo classic builder): context of $(printf '%s\n' "$files" | wc -l) files, all wheels"
    done
}

stack_up() {
    compose up -d --no-build --quiet-pull 2>&1 | grep -vE 'Pulling|Creating network|^$' || true
    local url="http://127.0.0.1:$PORT/readyz"
    for _ in $(seq 300); do
        if "$PYTHON" -c "import urllib.request as r; r.urlopen('$url', timeout=2)" 2> /dev/null; then
            compose ps
            return 0
        fi
        sleep 1
    done
    fail "the gateway did not become ready behind the proxy in 300 s"
}

household_query() {
    local token household
    token=$(compose exec -T gateway-1 mesh token --org manchester-city-council \
        --role safeguarding_lead --subject deploy-check | tr -d '\r\n')
    household=$(compose exec -T postgres psql -U postgres -d index -tA -c \
        "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1" \
        | tr -d '\r\n')
    [ -n "$household" ] || fail "the index holds no household"
    "$PYTHON" docker/household_query.py --url "http://127.0.0.1:$PORT/graphql" \
        --token "$token" --household "$household" --requests 20
}

audit_verify() {
    compose exec -T -e "MESH_PG_DSN=postgresql://postgres:${MESH_PG_PASSWORD:-mesh-dev-only}@postgres:5432/postgres" \
        gateway-1 mesh audit verify
}

step "engine" engine
step "base image" base_image
step "wheelhouse (host pip wheel)" wheelhouse
step "image build (no network)" build_image
step "build context as the engine saw it" context_probe
step "stack up: seed $PEOPLE, link, ready" stack_up
step "household query via 2 replicas" household_query
step "audit chain verified" audit_verify
