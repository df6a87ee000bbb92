package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// writeAnswer writes what json.Marshal writes for every shape of answer.
func TestWriteAnswerIsJSONMarshal(t *testing.T) {
	yes := true
	refused := &gqlerror.Error{Message: `refused <b>"&"</b>`, Path: ast.Path{ast.PathName("site"), ast.PathIndex(2)},
		Extensions: map[string]any{"code": "FORBIDDEN", "data": nil, "ids": []string{"1"}}}
	for name, resp := range map[string]*graphql.Response{
		"data":                    {Data: json.RawMessage(`{"site":{"name":"A & B","number":"1000001"}}`)},
		"plain data":              {Data: json.RawMessage(`{"viewer":{"isOperator":false}}`)},
		"separators":              {Data: json.RawMessage("{\"a\":\"x\u2028y\u2029z\",\"b\":\"<script>\"}")},
		"errors and data":         {Errors: gqlerror.List{refused, {Message: "second"}}, Data: json.RawMessage(`{"site":null}`)},
		"errors only":             {Errors: gqlerror.List{refused}},
		"null data":               {Data: json.RawMessage(`null`), Errors: gqlerror.List{refused}},
		"extensions":              {Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 3, "note": "<&>"}},
		"incremental":             {Data: json.RawMessage(`{}`), Label: "l", Path: ast.Path{ast.PathName("a")}, HasNext: &yes},
		"nothing":                 {},
		"escapes already escaped": {Data: json.RawMessage(`{"a":"\u003c \"q\" \\ \n"}`)},
	} {
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		writeAnswer(&got, resp)
		if got.String() != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got.String(), want)
		}
	}
}
