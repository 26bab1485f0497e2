// Package runnerapi serves a model over the Livepeer ai-runner HTTP API
// (livepeer/ai-runner runner/openapi.yaml v0.14.1), so castmesh's built-in
// CPU models and real ai-runner containers look the same to a worker:
// POST /<pipeline> with the pipeline's JSON or multipart body, GET /health,
// GET /version and GET /hardware/info|stats.
//
// As in ai-runner, one server serves one model: a request naming another
// model_id is refused with 400; an empty model_id means the served one.
// Errors take ai-runner's two shapes: {"detail":{"msg":…}} for 400, 401,
// 413, 415 and 500, and {"detail":[{"loc","msg","type"}]} for 422 when a
// field fails validation. With a token configured every request must
// carry it as a bearer token, else 401 with WWW-Authenticate: Bearer.
//
// Health reports LOADING while a warm model loads its weights, OK once it
// is ready (or at once for a cold model, which loads on first use) and
// ERROR if loading failed.
package runnerapi
