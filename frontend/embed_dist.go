//go:build spa

package frontend

import (
	"embed"
	"io/fs"
	"net/http"
)

// Built reports whether the dashboard's assets are embedded in this binary.
const Built = true

// dist is the output of `npm run build` (frontend/dist), embedded at compile time.
//
//go:embed all:dist
var dist embed.FS

// Handler serves the built dashboard and playground.
func Handler() http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // unreachable: the directory is embedded above
	}
	return newHandler(files)
}
