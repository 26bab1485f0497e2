// Package openaicompat serves the llm pipeline by forwarding each chat to
// an OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama,
// OpenAI itself): POST {base_url}/chat/completions, as the OpenAI Chat
// Completions API defines it. It runs no model itself; its model id is the
// configured upstream model, which is the model that answers.
//
// Parameters map one to one: messages, temperature, max_tokens and top_p.
// top_k is not part of the OpenAI API; it is sent only when the caller
// sets it above 0 (the ai-runner default, -1, means off), which vLLM,
// llama.cpp and Ollama accept and OpenAI refuses with 400.
//
// A streamed chat asks the upstream for server-sent events with
// stream_options.include_usage, passes each content delta on as an
// LLMResponse with choices[0].delta set, and ends with one more carrying
// the finish reason and, when reported, the token usage, as ai-runner's
// stream does.
//
// Upstream errors keep their meaning: 4xx answers other than 401, 403,
// 404, 408 and 429 are the caller's fault (pipeline.ErrBadInput, with the
// upstream's message); those five say that this node's key, URL or quota is
// wrong, or the upstream is busy, so retrying on another node can help;
// 5xx answers and network errors are plain errors too.
package openaicompat
