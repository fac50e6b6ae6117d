# Shared by demo/run and demo/run-cluster (sourced, not run): building the app and finding or starting a Redis.
# Expects DEMO_DIR; defines ROOT, JAR, say, die and the functions below.

ROOT="$(dirname "$DEMO_DIR")"
JAR="$DEMO_DIR/target/quarkus-app/quarkus-run.jar"

say() { printf '%s\n' "$*" >&2; }
die() { say "demo/$(basename "$0"): $*"; exit 1; }

# ---- build ---------------------------------------------------------------------------------------------------------

# True when the jar is missing or a source of the app or of the extension changed after it was built.
needs_build() {
    [[ -f "$JAR" ]] || return 0
    local newer
    newer="$(find "$ROOT/pom.xml" "$ROOT"/{test-support,runtime,deployment,admin/runtime,admin/deployment,demo}/pom.xml \
        "$ROOT"/{test-support,runtime,deployment,admin/runtime,admin/deployment,demo}/src/main -newer "$JAR" -type f \
        -print -quit 2>/dev/null || true)"
    [[ -n "$newer" ]]
}

# Builds the app and the extension when needs_build says so.
build_if_needed() {
    needs_build || return 0
    say "Building the demo and the extension (./mvnw package -DskipTests; the first build downloads Maven and the dependencies)..."
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl demo -am) || die "the build failed (see the Maven output above)"
    [[ -f "$JAR" ]] || die "the build did not produce $JAR"
    touch "$JAR" # the build may keep an unchanged jar's old time; mark it as current
}

# ---- Redis ---------------------------------------------------------------------------------------------------------

# host and port of a redis:// URL (redis://[user:password@]host[:port][/db])
url_host() { local r="${1#*://}"; r="${r##*@}"; r="${r%%/*}"; printf '%s' "${r%:*}"; }
url_port() { local r="${1#*://}"; r="${r##*@}"; r="${r%%/*}"; [[ "$r" == *:* ]] && printf '%s' "${r##*:}" || printf 6379; }

# Succeeds when a Redis server answers PING at the URL.
redis_ping() {
    local url="$1"
    if command -v redis-cli >/dev/null; then
        local tls=()
        [[ "$url" == rediss://* ]] && tls=(--tls)
        [[ "$(timeout 3 redis-cli -u "$url" "${tls[@]}" --no-auth-warning PING 2>/dev/null)" == PONG ]]
    else
        # No redis-cli: RESP "PING" over bash's /dev/tcp. A server that wants a password answers -NOAUTH: it is there.
        [[ "$url" == rediss://* ]] && return 0 # TLS cannot be probed this way; let the app try it
        timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
            printf "*1\r\n\$4\r\nPING\r\n" >&3
            IFS= read -r line <&3 && [[ "$line" == "+PONG"* || "$line" == "-NOAUTH"* ]]' \
            "$(url_host "$url")" "$(url_port "$url")" 2>/dev/null
    fi
}

REDIS_PID=""
REDIS_DIR=""

stop_own_redis() {
    if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        say "Stopping the demo's Redis (pid $REDIS_PID)."
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$REDIS_PID" 2>/dev/null || true
    fi
    [[ -n "$REDIS_DIR" ]] && rm -rf "$REDIS_DIR"
    REDIS_PID=""
}

# Starts redis-server on a free loopback port; sets REDIS_URL. The caller stops it with stop_own_redis (a trap).
start_own_redis() {
    if ! command -v redis-server >/dev/null; then
        die "no Redis answers at $REDIS_URL and redis-server is not installed.
  Either install it:     sudo apt-get install -y redis-server   (Debian/Ubuntu; then rerun demo/run)
  or point at a Redis:   REDIS_URL=redis://host:6379 demo/run"
    fi
    REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/demo-redis.XXXXXX")"
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 35000))
        # something listens there already: try another port
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$REDIS_DIR" \
            --logfile "$REDIS_DIR/redis.log" --daemonize no </dev/null >/dev/null 2>&1 &
        REDIS_PID=$!
        for _ in $(seq 100); do
            kill -0 "$REDIS_PID" 2>/dev/null || break
            if redis_ping "redis://127.0.0.1:$port"; then
                REDIS_URL="redis://127.0.0.1:$port"
                say "Started a private Redis for the demo at $REDIS_URL (pid $REDIS_PID, data in $REDIS_DIR, not persisted)."
                return 0
            fi
            sleep 0.1
        done
        say "redis-server on port $port did not come up (attempt $attempt): $(tail -n 3 "$REDIS_DIR/redis.log" 2>/dev/null)"
        stop_own_redis
        REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/demo-redis.XXXXXX")"
    done
    die "could not start redis-server (log: $REDIS_DIR/redis.log)"
}

# Picks the Redis the app will use (see the header of demo/run); sets and exports REDIS_URL, sets REDIS_SHOWN.
choose_redis() {
    if [[ -n "${QUARKUS_REDIS_HOSTS:-}" ]]; then
        say "Using QUARKUS_REDIS_HOSTS=${QUARKUS_REDIS_HOSTS} as it is (not probed)."
        REDIS_SHOWN="$QUARKUS_REDIS_HOSTS"
    else
        REDIS_URL="${REDIS_URL:-redis://localhost:6379}"
        if redis_ping "$REDIS_URL"; then
            say "Using the Redis at $REDIS_URL."
        else
            say "No Redis answers PING at $REDIS_URL."
            start_own_redis
        fi
        export REDIS_URL
        REDIS_SHOWN="$REDIS_URL"
    fi
}
