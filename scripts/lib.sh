# Shared by scripts/run and scripts/test: checks the toolchain and fetches Go modules.
# Source it from the repository root.

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_go() {
	command -v go >/dev/null 2>&1 ||
		die "Go is not installed. Install the version named in go.mod ($(awk '/^go /{print $2}' go.mod)) from https://go.dev/dl/ and put it on PATH."
	# mattn/go-sqlite3 is a cgo package: it needs a C compiler.
	export CGO_ENABLED=1
	local cc
	cc="$(go env CC)"
	command -v "${cc%% *}" >/dev/null 2>&1 ||
		die "no C compiler ('$cc') found; SQLite needs one. On Debian/Ubuntu: sudo apt-get install -y gcc libc6-dev"
	say "Go modules (go mod download)"
	go mod download
}

ensure_node() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
		die "Node.js 20 and npm are needed to build the dashboard (Debian: the nodejs package from NodeSource, or nvm)."
	local major
	major="$(node -p 'process.versions.node.split(".")[0]')"
	[ "$major" -ge 20 ] || die "Node.js $(node --version) is too old: the dashboard needs Node.js 20 or newer."
}

# build_frontend installs the locked npm packages and builds the dashboard into frontend/dist,
# which `go build -tags spa` embeds.
build_frontend() {
	ensure_node
	say "npm packages (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	say "dashboard (npm run build)"
	npm run build
}

# ensure_chromium installs Debian's Chromium for the browser journeys when it is missing.
ensure_chromium() {
	[ -x /usr/bin/chromium ] && return 0
	command -v apt-get >/dev/null 2>&1 || die "Chromium is missing and apt-get is not available: install chromium (/usr/bin/chromium)."
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	say "Chromium (apt-get install chromium)"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
