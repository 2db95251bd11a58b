#!/usr/bin/env bash
# The load run of issue 4: `wrk -t2 -c64 --latency` against GET /api/v1/ping with a tenant, on our
# server (tenancy-ping-server) and on Hummingbird 2 with equivalent middleware (hummingbird-ping-server),
# one server at a time, in the same run. Fails when wrk reports a socket error or an error status.
#
#   scripts/load.sh                        # ours, Hummingbird, ours; 20 s each
#   LOAD_DURATION=5s scripts/load.sh       # a quicker look
#   LOAD_ORDER="hummingbird ours" scripts/load.sh
#   LOAD_SKIP_BUILD=1 scripts/load.sh      # use the release binaries already built
#
# Both servers bind 127.0.0.1 on an ephemeral port and print `listening http://HOST:PORT`; the script
# waits for that line (and a 200 from the route) with a deadline, never a fixed sleep. Every process it
# starts is stopped on exit, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${LOAD_DURATION:-20s}
order=${LOAD_ORDER:-ours hummingbird ours}
tenant=acme
path=/api/v1/ping
ready_deadline_seconds=60

command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "load.sh: curl is missing (apt-get install -y curl)" >&2; exit 1; }

if [[ -z ${LOAD_SKIP_BUILD:-} ]]; then
    swift build -c release --package-path Benchmarks --product tenancy-ping-server
    swift build -c release --package-path Benchmarks --product hummingbird-ping-server
fi
bin=$(swift build -c release --package-path Benchmarks --show-bin-path)

work=$(mktemp -d)
server_pid=
wrk_pid=
stop_server() {
    if [[ -n $server_pid ]]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
cleanup() {
    if [[ -n $wrk_pid ]]; then kill -TERM "$wrk_pid" 2>/dev/null || true; fi
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

binary_of() {
    case $1 in
    ours) echo "$bin/tenancy-ping-server" ;;
    hummingbird) echo "$bin/hummingbird-ping-server" ;;
    *) echo "load.sh: unknown server '$1' in LOAD_ORDER (ours, hummingbird)" >&2; exit 2 ;;
    esac
}

# Starts server $1 and sets `address` once it announced itself and answers the route with a 200.
start_server() {
    local binary log deadline
    binary=$(binary_of "$1")
    log="$work/$1.log"
    : >"$log"  # exists before the server writes to it, so the first poll can read it
    "$binary" --port 0 >>"$log" 2>&1 &
    server_pid=$!
    deadline=$((SECONDS + ready_deadline_seconds))
    address=
    while [[ -z $address ]]; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "load.sh: $1 exited before it was ready:" >&2; cat "$log" >&2; exit 1
        fi
        ((SECONDS < deadline)) || { echo "load.sh: $1 not ready after ${ready_deadline_seconds}s" >&2; exit 1; }
        address=$(sed -n 's|^listening http://||p;T;q' "$log")
        [[ -n $address ]] || sleep 0.05
    done
    local status
    status=$(curl -s -o "$work/probe.json" -w '%{http_code}' -H "X-Tenant-ID: $tenant" "http://$address$path")
    if [[ $status != 200 ]]; then
        echo "load.sh: $1 answered $status to the probe:" >&2; cat "$work/probe.json" >&2; exit 1
    fi
}

# The CPU time (user + system, in clock ticks) the server process has used so far.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}
ticks_per_second=$(getconf CLK_TCK)

# wrk prints latencies as 512.00us, 2.31ms, 1.02s or 2.00m; in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

declare -a names rates p50s p99s loads cpus
run=0
for server in $order; do
    run=$((run + 1))
    start_server "$server"
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    echo "== run $run: $server at http://$address (load average $load)" >&2
    out="$work/wrk-$run.txt"
    ticks_before=$(cpu_ticks)
    # In the background, so that a signal to this script ends the run at once (bash runs a trap only after
    # the foreground command).
    wrk -t2 -c64 -d"$duration" --latency -H "X-Tenant-ID: $tenant" "http://$address$path" >"$out" &
    wrk_pid=$!
    wait "$wrk_pid" || { echo "load.sh: wrk failed:" >&2; cat "$out" >&2; exit 1; }
    wrk_pid=
    cat "$out" >&2
    ticks_after=$(cpu_ticks)
    stop_server

    if grep -q '^  Socket errors:' "$out"; then
        echo "load.sh: $server: wrk reported socket errors: $(grep '^  Socket errors:' "$out")" >&2; exit 1
    fi
    # wrk counts responses with a status of 400 or more here; the route has no redirects, and the probe
    # above checked that it answers 200.
    if grep -q '^  Non-2xx or 3xx responses:' "$out"; then
        echo "load.sh: $server: $(grep '^  Non-2xx or 3xx responses:' "$out")" >&2; exit 1
    fi
    names[run]=$server
    rates[run]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50s[run]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    p99s[run]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    loads[run]=$load
    # Server CPU per request: less sensitive than requests/s to what else the machine runs.
    cpus[run]=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$ticks_per_second" \
        -v n="$(awk '/ requests in / { print $1 }' "$out")" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
done

# The table; each of our runs is compared with the mean of the Hummingbird runs.
hummingbird_values() {  # the column named $1 of the Hummingbird runs, one a line
    local -n column=$1
    local i
    for i in "${!names[@]}"; do
        if [[ ${names[i]} == hummingbird ]]; then echo "${column[i]}"; fi
    done
}
hb_rate=$(hummingbird_values rates | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n }')
hb_p99=$(hummingbird_values p99s | awk '{ s += $1; n++ } END { if (n) printf "%.3f", s / n }')
hb_cpu=$(hummingbird_values cpus | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n }')
echo
echo "wrk -t2 -c64 -d$duration --latency -H 'X-Tenant-ID: $tenant' http://127.0.0.1:PORT$path"
format='%-4s %-12s %11s %8s %8s %9s %12s %12s %12s %6s\n'
# shellcheck disable=SC2059
printf "$format" run server requests/s p50_ms p99_ms cpu_us/req rps_ours/hb p99_ours/hb cpu_ours/hb load
for i in "${!names[@]}"; do
    rate_ratio=- p99_ratio=- cpu_ratio=-
    if [[ ${names[i]} == ours && -n $hb_rate ]]; then
        rate_ratio=$(awk -v a="${rates[i]}" -v b="$hb_rate" 'BEGIN { printf "%.2f", a / b }')
        p99_ratio=$(awk -v a="${p99s[i]}" -v b="$hb_p99" 'BEGIN { printf "%.2f", a / b }')
        cpu_ratio=$(awk -v a="${cpus[i]}" -v b="$hb_cpu" 'BEGIN { printf "%.2f", a / b }')
    fi
    # shellcheck disable=SC2059
    printf "$format" "$i" "${names[i]}" "${rates[i]}" "${p50s[i]}" "${p99s[i]}" "${cpus[i]}" \
        "$rate_ratio" "$p99_ratio" "$cpu_ratio" "${loads[i]}"
done
