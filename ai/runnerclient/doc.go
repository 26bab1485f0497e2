// Package runnerclient calls a runner over the Livepeer ai-runner HTTP API:
// a livepeer/ai-runner container on a GPU box, any server speaking the same
// API, or one of castmesh's built-in runners (package ai/runnerapi).
//
// Errors come back in either of ai-runner's shapes ({"detail":{"msg"}} or
// the 422 {"detail":[{"loc","msg","type"}]}) and are returned as *Error,
// which unwraps to the pipeline package's input errors for 400, 413, 415
// and 422, so callers tell "the request is bad" from "this runner failed"
// with pipeline.IsInputError.
package runnerclient
