// Package airunner runs a worker's AI models. Every model sits behind the
// Livepeer ai-runner HTTP API: an external runner the operator points at
// (a livepeer/ai-runner container on a GPU, url + token, as in
// go-livepeer's aiModels.json), or a built-in CPU model that the worker
// serves itself on a loopback port through package ai/runnerapi. So one
// code path talks to both, and a built-in runner is an ai-runner like any
// other.
//
// Each model has a capacity: requests beyond it are refused at once
// (ErrBusy), never queued, so the orchestrator can send them elsewhere.
// Runners are health-checked every HealthInterval (GET /health, as
// go-livepeer does every 5 s): LOADING, ERROR or two failed checks in a row
// take the model out of service (capacity 0 in the worker's heartbeats)
// until it answers OK again.
//
// Runners answer image-to-video as frames (PNG data URLs); the worker
// encodes them to an MP4 at the request's fps with ffmpeg and answers the
// gateway API's {images:[{url: data:video/mp4…}]}, as go-livepeer does.
package airunner
