// Package aiapi is the gateway's AI API: the Livepeer gateway's batch
// routes (POST /text-to-image, /image-to-image, /image-to-video, /upscale,
// /audio-to-text, /segment-anything-2, /llm, /image-to-text,
// /text-to-speech), castmesh's own OpenAPI document at /openapi.yaml, the
// results it re-hosts at /ai/results/{id}, and asynchronous image-to-video
// (Prefer: respond-async, then POST /image-to-video/result).
//
// A request goes through, in order, and stops at the first failure:
//
//  1. the API key (package gateway/apikey), before the body is read: a
//     key of the pipeline's scope (401, 403), then its rate and its
//     requests at once (429); open only on a loopback gateway without
//     keys;
//  2. the body size (413), the content type (415) and the OpenAPI
//     document (400 naming the field), checked by package ai/openapi;
//  3. decoding into the pipeline's parameters (package ai/pipeline), which
//     also reads images' sizes and measures audio, giving the billing
//     units (400, or 415 for audio ffmpeg cannot read);
//  4. routing: the orchestrators that advertise the pipeline and model,
//     warm before cold, never one whose model is full or priced above the
//     gateway's limit, then by measured latency; a model no orchestrator
//     knows is refused with 400;
//  5. the call, paid with tickets when payments are on, its fee counted
//     first against the key's spend cap (429 spend_limit); on failure the
//     next orchestrator is tried, until RetryTimeout has passed, when the
//     answer is 503 naming what was tried. An orchestrator's 400 (the
//     runner refused the input) is passed on at once.
//
// Answers keep the Livepeer gateway's shapes. Files in them (images,
// videos, audio) are re-hosted: stored here for ResultTTL and answered as
// URLs under /ai/results/ (on public_url, never the request's Host), or as
// data URLs when the caller asks with ?media=data. A re-hosted file is
// served as the type its bytes sniff as, from an allow-list of media
// types, with nosniff and a sandboxing CSP; anything else is a download
// (application/octet-stream), whatever the orchestrator claimed. An llm request with "stream": true is relayed as
// server-sent events as the model writes them.
//
// The session bills each request by the units it decoded (pipeline.Units);
// an llm answer by the tokens it holds. Orchestrators bill the same way
// from the same bytes, so the two books agree.
package aiapi
