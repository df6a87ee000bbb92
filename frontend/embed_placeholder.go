//go:build !spa

package frontend

import (
	"net/http"
	"testing/fstest"
)

// Built reports whether the dashboard's assets are embedded in this binary.
const Built = false

const placeholderPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sitekeeper: dashboard not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}</style>
</head>
<body>
<h1>Sitekeeper</h1>
<p>The admin dashboard was not built into this binary. The API is available at <code>POST /graphql</code>.</p>
<p>To include the dashboard and the GraphQL playground, build them and then the server with the <code>spa</code> tag, from the repository root:</p>
<pre><code>npm ci &amp;&amp; npm run build
go build -tags spa -o sitekeeper .</code></pre>
</body>
</html>
`

// Handler serves a page that explains how to build the dashboard, for every path the dashboard
// would serve.
func Handler() http.Handler {
	return newHandler(fstest.MapFS{indexFile: &fstest.MapFile{Data: []byte(placeholderPage)}})
}
