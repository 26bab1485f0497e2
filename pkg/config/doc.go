// Package config loads a role's typed configuration in four layers, each
// overriding the one before: the defaults already in the struct, a YAML file
// (strict: an unknown key is an error), environment variables and flags.
//
// Names derive from the struct's yaml tags. A field at path hls.window is
// the YAML key window under hls, the environment variable CASTMESH_HLS_WINDOW
// and the flag --hls.window; underscores in keys become dashes in flags
// (rtmp_addr → --rtmp-addr). Scalars, durations ("2s") and comma-separated
// string lists are written plainly in env and flags; any other type (a list
// of profiles, say) is written there as YAML or JSON.
package config
