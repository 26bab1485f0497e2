// Package sphinx transcribes English speech with CMU PocketSphinx, a
// statistical (pre-neural) recogniser: a continuous-density hidden Markov
// acoustic model with a trigram language model and the CMU pronouncing
// dictionary, as Debian ships them in pocketsphinx-en-us. It serves the
// audio-to-text pipeline as the model "cmusphinx/en-us".
//
// It is real speech recognition, but far from Whisper: it knows English
// only, and on clean read speech it gets most common words right while
// rarer words and names often come out as similar-sounding ones. It runs at
// about 0.3× real time on one CPU core, plus about 0.8 s per request to load
// the model.
//
// Any container ffmpeg can read is accepted: the first audio stream is
// decoded to 16 kHz mono 16-bit PCM, then pocketsphinx_continuous
// recognises it and reports each word's start and end (-time yes). Chunks
// follow the ai-runner API's return_timestamps: one per word ("word"), one
// per stretch of speech between pauses ("true", "sentence"), or none
// ("false").
package sphinx
