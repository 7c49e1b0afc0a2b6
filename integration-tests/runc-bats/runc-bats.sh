#!/usr/bin/env bash
# runc-bats.sh -- run runc's own bats integration tests (tests/integration/*.bats
# from Debian's runc source package) against a runc-compatible runtime binary.
# jctr's copy of the team's peers/runc-bats.sh: RuncBatsTest (integration-tests/suite) runs it
# against bin/jctr-runc; packages are installed only with RUNC_BATS_INSTALL=1 (.ci/run installs
# them itself), and the results directory can be chosen (RUNC_BATS_RESULTS).
#
# Usage:  runc-bats.sh [RUNTIME] [BATS_FILE...]
#         RUNTIME: path or name on PATH (default: runc); BATS_FILE: e.g. "create.bats"
#         (default: every tests/integration/*.bats)
#
# The tests call "$RUNC --root <tmp>/state <subcommand> ...", so the runtime must
# accept runc's global --root option (and `list -q`, `delete -f`, ...).
# Steps: install Debian packages -> `apt-get source runc` (adds a deb-src list if
# none) -> build the helper binaries (recvtty, seccompagent, sd-helper) in GOPATH
# mode from Debian's golang-*-dev packages -> make the two test images offline
# (busybox from busybox-static, Debian via debootstrap) -> run bats under
# `script` (some tests need a tty) with a per-file timeout -> per-file summary
# and last line "N passed, M failed" (bats "ok" incl. skips = passed).
#
# Environment (optional):
#   PEERS_DIR              work area (default /var/tmp/peers)
#   RUNC_BATS_TIMEOUT      per-.bats-file timeout in seconds (default 300)
#   RUNC_BATS_SKIP         space-separated .bats files not to run (default: none)
#   RUNC_BATS_NO_DEBIAN=1  don't debootstrap; hooks.bats then fails (no ldconfig)
#   RUNC_BATS_INSTALL=1    apt-get install what is missing (default: only check, fail if missing)
#   RUNC_BATS_RESULTS      directory for the .tap files and summary.txt (default: under PEERS_DIR)
# Exit status: 0 if nothing failed, 1 otherwise, 2 on setup errors.
set -uo pipefail

RT_ARG=${1:-runc}
shift || true
PEERS_DIR=${PEERS_DIR:-/var/tmp/jctr-runc-bats}
BASE=$PEERS_DIR/runc-bats
TIMEOUT=${RUNC_BATS_TIMEOUT:-300}

log() { echo "[runc-bats] $*" >&2; }
die() { log "ERROR: $*"; exit 2; }
[ "$(id -u)" = 0 ] || die "must run as root"

RT_BIN=$(command -v "$RT_ARG") || die "runtime '$RT_ARG' not found"
RT_BIN=$(readlink -f "$RT_BIN")

# ---------------------------------------------------------------- packages
want=(bats jq gawk curl git golang-go gcc libc6-dev pkgconf libseccomp-dev bsdutils util-linux
          xz-utils busybox-static debootstrap dpkg-dev iproute2
          golang-github-containerd-console-dev golang-github-seccomp-libseccomp-golang-dev
          golang-github-urfave-cli-dev golang-github-sirupsen-logrus-dev golang-golang-x-sys-dev
          golang-github-cyphar-filepath-securejoin-dev golang-github-opencontainers-specs-dev
          golang-github-coreos-go-systemd-dev golang-dbus-dev)
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "${RUNC_BATS_INSTALL:-0}" = 1 ] || die "missing Debian packages (install them, or set RUNC_BATS_INSTALL=1): ${missing[*]}"
    log "installing: ${missing[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed"
fi

# ---------------------------------------------------------------- source
mkdir -p "$BASE"
SRC=$(find "$BASE/src" -maxdepth 1 -type d -name 'runc-*' 2>/dev/null | sort | tail -1)
if [ -z "$SRC" ] || [ ! -f "$SRC/tests/integration/helpers.bash" ]; then
    if ! apt-cache showsrc runc 2>/dev/null | grep -q '^Package: runc'; then
        log "adding deb-src entries (/etc/apt/sources.list.d/peers-deb-src.sources)"
        sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            > /etc/apt/sources.list.d/peers-deb-src.sources || die "cannot write deb-src list"
        apt-get update -qq >/dev/null 2>&1
    fi
    rm -rf "$BASE/src" && mkdir -p "$BASE/src"
    (cd "$BASE/src" && apt-get source -qq runc >/dev/null 2>&1) || die "apt-get source runc failed"
    SRC=$(find "$BASE/src" -maxdepth 1 -type d -name 'runc-*' | sort | tail -1)
    [ -f "$SRC/tests/integration/helpers.bash" ] || die "runc source has no tests/integration"
fi
log "runc source: $SRC"

# ---------------------------------------------------------------- helpers (GOPATH mode, Debian -dev packages)
GP=$BASE/gopath
mkdir -p "$GP/src/github.com/opencontainers"
ln -sfn "$SRC" "$GP/src/github.com/opencontainers/runc"
build_helper() {   # name [tags]
    local n=$1 tags=${2:-}
    [ -x "$SRC/contrib/cmd/$n/$n" ] && return 0
    (cd "$GP/src/github.com/opencontainers/runc" && \
        GO111MODULE=off GOPATH="$GP:/usr/share/gocode" GOCACHE="$BASE/gocache" GOFLAGS= GOPROXY=off \
        go build ${tags:+-tags "$tags"} -o "contrib/cmd/$n/$n" "./contrib/cmd/$n") >>"$BASE/build.log" 2>&1 \
        || log "WARNING: $n does not build (see $BASE/build.log); tests using it will fail"
}
build_helper recvtty
build_helper seccompagent seccomp
build_helper sd-helper

# ---------------------------------------------------------------- images (no downloads: get-images.sh skips existing files)
TD=$SRC/tests/integration/testdata
ARCH=$(go env GOARCH)
BB=$TD/busybox-$ARCH.tar.xz
if [ ! -s "$BB" ] || [ "$0" -nt "$BB" ]; then
    [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || die "need a static /bin/busybox (busybox-static)"
    d=$(mktemp -d "$BASE/bb.XXXXXX"); chmod 0755 "$d"
    # like docker-library's busybox image: no /proc or /sys (mask.bats replaces them with symlinks)
    mkdir -p "$d"/{bin,dev,etc,home,root,usr/bin,usr/sbin,var/spool/mail,var/www} "$d/tmp"
    chmod 1777 "$d/tmp"; chmod 0700 "$d/root"
    cp /bin/busybox "$d/bin/busybox"
    for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$d/bin/$a"; done
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
        'bin:x:2:2:bin:/bin:/bin/false' 'sys:x:3:3:sys:/dev:/bin/false' 'sync:x:4:100:sync:/bin:/bin/sync' \
        'mail:x:8:8:mail:/var/spool/mail:/bin/false' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
        'operator:x:37:37:Operator:/var:/bin/false' 'nobody:x:65534:65534:nobody:/home:/bin/false' > "$d/etc/passwd"
    printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'bin:x:2:' 'sys:x:3:' 'adm:x:4:' 'tty:x:5:' 'disk:x:6:' 'lp:x:7:' \
        'mail:x:8:' 'kmem:x:9:' 'wheel:x:10:root' 'cdrom:x:11:' 'dialout:x:18:' 'floppy:x:19:' 'video:x:28:' \
        'audio:x:29:' 'tape:x:32:' 'www-data:x:33:' 'operator:x:37:' 'utmp:x:43:' 'plugdev:x:46:' 'staff:x:50:' \
        'lock:x:54:' 'netdev:x:82:' 'users:x:100:' 'nogroup:x:65534:' > "$d/etc/group"
    echo 'root:*:19000:0:99999:7:::' > "$d/etc/shadow"
    tar --numeric-owner --owner=0 --group=0 -C "$d" -cf - . | xz -T0 -1 > "$BB.tmp" && mv "$BB.tmp" "$BB"
    rm -rf "$d"
    log "made $BB from /bin/busybox"
fi
DEB=$TD/debian-$ARCH.tar.xz
if [ ! -s "$DEB" ]; then
    if [ "${RUNC_BATS_NO_DEBIAN:-0}" = 1 ]; then
        cp "$BB" "$DEB"; log "RUNC_BATS_NO_DEBIAN=1: using busybox as the Debian image (hooks.bats will fail)"
    else
        d=$BASE/debian-rootfs
        rm -rf "$d"
        # the same mirror apt uses (first "URIs:" of the deb822 list, else sources.list)
        mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
        [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
        [ -n "$mirror" ] || die "cannot find the Debian mirror in the apt sources"
        log "debootstrap --variant=minbase from $mirror into $d"
        debootstrap --variant=minbase "$(. /etc/os-release; echo "$VERSION_CODENAME")" "$d" "$mirror" \
            >"$BASE/debootstrap.log" 2>&1 || die "debootstrap failed, see $BASE/debootstrap.log (or set RUNC_BATS_NO_DEBIAN=1)"
        rm -rf "$d"/var/cache/apt/archives/*.deb "$d"/var/lib/apt/lists/*
        tar --numeric-owner -C "$d" -cf - . | xz -T0 -1 > "$DEB.tmp" && mv "$DEB.tmp" "$DEB"
        rm -rf "$d"
    fi
fi

# ---------------------------------------------------------------- run
TS=$(date +%Y%m%d-%H%M%S)
RES=${RUNC_BATS_RESULTS:-$PEERS_DIR/results/runc-bats-$(basename "$RT_BIN")-$TS}
mkdir -p "$RES"
TMPD=$(mktemp -d /var/tmp/runc-bats-tmp.XXXXXX); chmod 0755 "$TMPD"
IDLOG=$TMPD.ids; : > "$IDLOG"
# $RUNC wrapper: records container IDs (for cgroup cleanup), otherwise transparent.
WRAP=$TMPD.runtime
{
    echo '#!/bin/sh'
    echo 'for a in "$@"; do case "$a" in run|create|restore) for b in "$@"; do last=$b; done; echo "$last" >> '"$IDLOG"'; break;; esac; done'
    printf 'exec %q "$@"\n' "$RT_BIN"
} > "$WRAP"; chmod 755 "$WRAP"

list_cgroups() {   # cgroups the tests create: set_cgroups_path trees, or named after a container ID
    local ids; ids=$(sort -u "$IDLOG" | grep -E '^[A-Za-z0-9_.-]+$' | paste -sd'|')
    find /sys/fs/cgroup -mindepth 2 -maxdepth 6 -type d 2>/dev/null \
        | grep -E "/(runc-cgroups-integration-test|test-cgroup-[0-9]+${ids:+|$ids})(\.scope)?(/|\$)" | sort
}
kill_mine() {   # processes whose command line mentions our private TMPD (recvtty, runtime daemons, ...)
    local p pids=()
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = "$$" ] && continue
        { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -qF "$TMPD/" && pids+=("${p#/proc/}")
    done
    [ ${#pids[@]} -gt 0 ] && kill -KILL "${pids[@]}" 2>/dev/null
    return 0
}
cleanup_after_file() {
    local new c st id m p
    new=$(comm -13 "$CG_BEFORE" <(list_cgroups))
    # a test may leave a (new) freezer cgroup FROZEN: thaw it or nothing in it can die
    for c in $new; do
        [ -f "$c/freezer.state" ] && grep -q FROZEN "$c/freezer.state" 2>/dev/null && echo THAWED > "$c/freezer.state"
        [ -f "$c/cgroup.freeze" ] && echo 0 > "$c/cgroup.freeze" 2>/dev/null
    done
    # containers: every test uses --root $BATS_RUN_TMPDIR/runc.*/state below $TMPD
    for st in $(find "$TMPD" -maxdepth 4 -type d -name state 2>/dev/null); do
        for id in $(timeout 30 "$RT_BIN" --root "$st" list -q 2>/dev/null); do
            timeout 30 "$RT_BIN" --root "$st" delete -f "$id" >/dev/null 2>&1 || log "WARNING: could not delete $id ($st)"
        done
    done
    kill_mine
    for c in $new; do   # processes left in cgroups that the tests created
        for p in $(cat "$c/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    done
    sleep 0.5
    awk -v p="$TMPD/" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "${TMPD:?}"/* 2>/dev/null
    printf '%s\n' $new | sort -r | while read -r c; do [ -n "$c" ] && rmdir "$c" 2>/dev/null; done
}
final_cleanup() {
    cleanup_after_file
    local left; left=$(comm -13 "$CG_BEFORE" <(list_cgroups) | head -5)
    [ -n "$left" ] && log "WARNING: cgroups left behind: $left"
    rm -rf "$TMPD" "$IDLOG" "$WRAP" "$CG_BEFORE"
}
CG_BEFORE=$(mktemp /var/tmp/runc-bats-cg.XXXXXX); list_cgroups > "$CG_BEFORE"
trap final_cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

cd "$SRC" || die "cd $SRC"
if [ $# -gt 0 ]; then FILES=("$@"); else FILES=($(cd tests/integration && ls *.bats)); fi
log "runtime: $RT_BIN ($("$RT_BIN" --version 2>/dev/null | head -1)); results: $RES"
TP=0; TF=0; TS_=0; NF=0
for f in "${FILES[@]}"; do
    f=$(basename "$f")
    [[ " ${RUNC_BATS_SKIP:-} " == *" $f "* ]] && continue
    NF=$((NF + 1)); start=$(date +%s)
    # script(1) gives the tests a tty, as Debian's autopkgtest does.
    RUNC=$WRAP TMPDIR=$TMPD timeout -k 10 "$TIMEOUT" \
        script -q -e -c "bats -t tests/integration/$f" /dev/null </dev/null >"$RES/${f%.bats}.tap" 2>&1
    rc=$?
    cleanup_after_file
    dur=$(( $(date +%s) - start ))
    sed -i 's/\r$//' "$RES/${f%.bats}.tap"
    ok=$(grep -c '^ok ' "$RES/${f%.bats}.tap"); nok=$(grep -c '^not ok ' "$RES/${f%.bats}.tap")
    sk=$(grep -ciE '^ok [0-9]+ .*# skip' "$RES/${f%.bats}.tap")
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$RES/${f%.bats}.tap" | head -1)
    st=PASS; extra=0
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then st=TIMEOUT; extra=1
    elif [ -z "$plan" ] || [ "$plan" != $((ok + nok)) ]; then st=BADPLAN; extra=1
    elif [ "$nok" -gt 0 ]; then st=FAIL
    fi
    TP=$((TP + ok)); TF=$((TF + nok + extra)); TS_=$((TS_ + sk))
    printf '%-8s %-30s passed=%-3s failed=%-3s skip=%-3s plan=%-3s %ss\n' "$st" "$f" "$ok" "$((nok + extra))" "$sk" "${plan:--}" "$dur" | tee -a "$RES/summary.txt"
done
{
    echo "runtime: $RT_BIN; files: $NF; skipped tests (included in passed): $TS_; results in $RES"
    echo "$TP passed, $TF failed"
} | tee -a "$RES/summary.txt"
[ "$TF" -eq 0 ]
