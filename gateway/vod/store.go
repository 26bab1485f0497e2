package vod

// migrations create the VOD tables. Only append: each entry runs once per
// database (pkg/store). The SQL runs on SQLite and PostgreSQL alike; times
// are Unix milliseconds.
func migrations() []string {
	return []string{
		`CREATE TABLE vod_keys (
		id TEXT PRIMARY KEY,
		hash TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		owner TEXT NOT NULL,
		scopes TEXT NOT NULL,
		created_at BIGINT NOT NULL)`,
		`CREATE TABLE vod_idempotency (
		owner TEXT NOT NULL,
		route TEXT NOT NULL,
		idem_key TEXT NOT NULL,
		request_hash TEXT NOT NULL,
		status INTEGER NOT NULL,
		content_type TEXT NOT NULL,
		body TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		PRIMARY KEY (owner, route, idem_key))`,
		`CREATE TABLE vod_uploads (
		id TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		status TEXT NOT NULL,
		file_name TEXT NOT NULL,
		file_size BIGINT NOT NULL,
		mime_type TEXT NOT NULL,
		chunk_size BIGINT NOT NULL,
		total_chunks INTEGER NOT NULL,
		created_at BIGINT NOT NULL,
		expires_at BIGINT NOT NULL,
		sha256 TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL DEFAULT '')`,
		`CREATE TABLE vod_upload_parts (
		upload_id TEXT NOT NULL,
		part INTEGER NOT NULL,
		size BIGINT NOT NULL,
		PRIMARY KEY (upload_id, part))`,
	}
}
