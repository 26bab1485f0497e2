// Package pipeline is the shared vocabulary of castmesh's AI requests: the
// pipeline names, each pipeline's parameters as the Livepeer ai-runner API
// defines them (defaults included), the responses, the interfaces a model
// implements, and the billing units each request costs.
//
// Requests are decoded here once, from the JSON or multipart/form-data
// bodies that callers send (DecodeRequest), so the gateway, the
// orchestrator and the built-in runners agree on every default and on
// every unit billed. The OpenAPI document (package ai/openapi) names the
// same fields; this package is what the code reads them into.
//
// Billing units follow Livepeer (go-livepeer server/ai_process.go), so a
// price per unit means the same on both networks: output pixels for
// text-to-image, input pixels × images for image-to-image, width × height ×
// frames for image-to-video, input pixels for upscale, segment-anything-2
// and image-to-text, milliseconds of audio for audio-to-text, characters
// for text-to-speech and tokens for llm.
package pipeline
