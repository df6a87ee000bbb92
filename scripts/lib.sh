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
		die "Node.js 20.19 or newer and npm are needed to build the dashboard (Debian: the nodejs package from NodeSource, or nvm)."
	# Vite 8 needs 20.19 (require of ES modules); package.json's engines says the same.
	node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
		die "Node.js $(node --version) is too old: the dashboard needs Node.js 20.19 or newer."
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

# files_hash prints one hash of the paths and contents of the files under the given paths,
# node_modules left out.
files_hash() {
	find "$@" -name node_modules -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# dashboard_sources lists what `npm run build` reads: frontend/ but its output, and the packages.
dashboard_sources() {
	find frontend -mindepth 1 -maxdepth 1 ! -name dist ! -name node_modules
	echo package.json package-lock.json
}

# build_frontend_if_changed is build_frontend for restarts: `npm ci` only when package-lock.json
# (or Node.js) changed since the last install, and the build only when the dashboard's sources
# or packages changed since frontend/dist was built (and frontend/dist is what that build wrote).
# The stamps live in node_modules/.sitekeeper/, so a fresh `npm ci` also rebuilds.
build_frontend_if_changed() {
	ensure_node
	local stamps=node_modules/.sitekeeper want
	want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
	if [ "$(cat "$stamps/npm-ci" 2>/dev/null)" = "$want" ]; then
		say "npm packages: up to date (package-lock.json unchanged since the last npm ci)"
	else
		say "npm packages (npm ci)"
		npm ci --no-audit --no-fund --loglevel=error
		mkdir -p "$stamps" && printf '%s\n' "$want" >"$stamps/npm-ci"
	fi
	# shellcheck disable=SC2046 # the paths have no spaces
	want="$(files_hash $(dashboard_sources))"
	if [ -f frontend/dist/index.html ] && [ "$(cat "$stamps/dashboard" 2>/dev/null)" = "$want $(files_hash frontend/dist)" ]; then
		say "dashboard: up to date (frontend/dist was built from these sources)"
	else
		say "dashboard (npm run build)"
		npm run build
		printf '%s\n' "$want $(files_hash frontend/dist)" >"$stamps/dashboard"
	fi
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
