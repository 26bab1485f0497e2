package aiapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/pkg/httpjson"
)

// errBigAnswer is an answer larger than the gateway keeps.
var errBigAnswer = errors.New("answer too large")

func writeJSON(w http.ResponseWriter, status int, v any) { httpjson.Write(w, status, v) }

// errorBody is castmesh's error shape with Livepeer's beside it: callers
// of castmesh read error.code, clients written for the Livepeer gateway
// read detail.msg (its HTTPError), and both work unchanged.
type errorBody struct {
	httpjson.ErrorBody
	Detail struct {
		Msg string `json:"msg"`
	} `json:"detail"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	var b errorBody
	b.Error = httpjson.ErrorDetail{Code: code, Message: msg}
	b.Detail.Msg = msg
	httpjson.Write(w, status, b)
}

// statusOf maps an error to the HTTP status and code the caller gets.
func statusOf(err error) (int, string) {
	var oe *openapi.Error
	var fe *pipeline.FieldError
	var um *unknownModelError
	var ue *unavailableError
	if status, code, ok := apikey.HTTPStatus(err); ok {
		return status, code
	}
	switch {
	case errors.As(err, &oe):
		return oe.Status, oe.Code
	case errors.As(err, &fe):
		return http.StatusBadRequest, "invalid_field"
	case errors.Is(err, pipeline.ErrUnsupportedMedia), errors.Is(err, orchclient.ErrUnsupportedMedia):
		return http.StatusUnsupportedMediaType, "unsupported_media"
	case errors.Is(err, pipeline.ErrBadRequestBody):
		return http.StatusBadRequest, "invalid_body"
	case errors.As(err, &um):
		if um.model == "" {
			return http.StatusServiceUnavailable, "no_orchestrator"
		}
		return http.StatusBadRequest, "unknown_model"
	case errors.Is(err, orchclient.ErrBadInput), pipeline.IsInputError(err):
		return http.StatusBadRequest, "invalid_request"
	case isFatalPayment(err):
		return http.StatusServiceUnavailable, "gateway_unfunded"
	case errors.As(err, &ue):
		return http.StatusServiceUnavailable, "no_orchestrator"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "timeout"
	case errors.Is(err, errBigAnswer):
		return http.StatusBadGateway, "answer_too_large"
	case errors.Is(err, errBadAnswer):
		return http.StatusBadGateway, "bad_answer"
	}
	return http.StatusInternalServerError, "internal"
}

// fail answers err; its message is passed on for the caller's faults and
// for what the gateway tried, and logged otherwise.
func (api *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	apikey.SetHeaders(w, err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		api.logger.Error("AI request failed", "path", r.URL.Path, "err", err)
		msg = "the gateway failed; see its log"
	}
	writeError(w, status, code, msg)
}
