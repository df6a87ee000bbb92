package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postJSON is gqlgen's POST transport (transport.POST: the same decoding, status codes and
// content types) but for how it writes the answer: gqlgen writes the whole response through
// encoding/json, which validates and compacts the data gqlgen has just written as compact
// JSON; that pass took 14% of the CPU of a contacts page. writeAnswer writes the same bytes.
type postJSON struct{}

var _ graphql.Transport = postJSON{}

func (postJSON) Supports(r *http.Request) bool { return transport.POST{}.Supports(r) }

func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := answerContentType(r)
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeAnswer(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		// hideRequestBody (handler.go) recognises this message and replaces it.
		writeAnswer(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf(
			"json request body could not be decoded: %+v body:%s", err, string(body))}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, &params)
	if opErr != nil {
		w.WriteHeader(statusOf(contentType, opErr))
		writeAnswer(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	ctx, loan := withAnswerLoan(ctx)
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeAnswer(w, responses(ctx))
	loan.giveBack()
}

const (
	contentJSON            = "application/json"
	contentGraphQLResponse = "application/graphql-response+json"
)

// answerContentType is transport.POST's choice: application/json unless the Accept header
// names application/graphql-response+json first, or names nothing it knows.
func answerContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return contentJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", contentJSON:
			return contentJSON
		case contentGraphQLResponse:
			return contentGraphQLResponse
		}
	}
	return contentGraphQLResponse
}

// statusOf is the HTTP status of a request refused before it ran, as transport.POST gives it.
func statusOf(contentType string, errs gqlerror.List) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if contentType == contentGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// writeAnswer writes resp byte for byte as json.Marshal does (errors, data, extensions, with
// <, > and & escaped), but copies the data rather than re-encoding them.
func writeAnswer(w io.Writer, resp *graphql.Response) {
	if len(resp.Data) == 0 || resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		b, err := json.Marshal(resp)
		if err != nil {
			panic(err)
		}
		_, _ = w.Write(b)
		return
	}
	var head bytes.Buffer
	head.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			panic(err)
		}
		head.WriteString(`"errors":`)
		head.Write(errs)
		head.WriteByte(',')
	}
	head.WriteString(`"data":`)
	_, _ = w.Write(head.Bytes())
	if needsHTMLEscape(resp.Data) {
		var escaped bytes.Buffer
		json.HTMLEscape(&escaped, resp.Data)
		_, _ = w.Write(escaped.Bytes())
	} else {
		_, _ = w.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			panic(err)
		}
		_, _ = w.Write([]byte(`,"extensions":`))
		_, _ = w.Write(ext)
	}
	_, _ = w.Write([]byte{'}'})
}

// needsHTMLEscape reports whether json.Marshal would escape something in data: <, >, &, and the
// line and paragraph separators U+2028 and U+2029.
func needsHTMLEscape(data []byte) bool {
	return bytes.ContainsAny(data, "<>&") || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
}
