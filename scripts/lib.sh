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
