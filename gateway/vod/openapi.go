package vod

import (
	_ "embed"
	"net/http"
)

// Document is the API's OpenAPI 3.0 description.
//
//go:embed openapi.yaml
var Document []byte

func serveDocument(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(Document)
}
