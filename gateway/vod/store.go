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
		`CREATE TABLE vod_jobs (
		id TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		status TEXT NOT NULL,
		profile TEXT NOT NULL,
		request TEXT NOT NULL,
		source TEXT NOT NULL DEFAULT '',
		progress TEXT NOT NULL DEFAULT '',
		result TEXT NOT NULL DEFAULT '',
		error TEXT NOT NULL DEFAULT '',
		attempt INTEGER NOT NULL DEFAULT 0,
		cancel INTEGER NOT NULL DEFAULT 0,
		lease_owner TEXT NOT NULL DEFAULT '',
		lease_until BIGINT NOT NULL DEFAULT 0,
		created_at BIGINT NOT NULL,
		started_at BIGINT NOT NULL DEFAULT 0,
		completed_at BIGINT NOT NULL DEFAULT 0)`,
		`CREATE INDEX vod_jobs_owner_created ON vod_jobs (owner, created_at, id)`,
		`CREATE TABLE vod_job_segments (
		job_id TEXT NOT NULL,
		pass INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		frames BIGINT NOT NULL,
		pixels BIGINT NOT NULL,
		PRIMARY KEY (job_id, pass, seq))`,
		`CREATE TABLE vod_webhooks (
		id TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		url TEXT NOT NULL,
		name TEXT NOT NULL,
		secret TEXT NOT NULL,
		active INTEGER NOT NULL,
		created_at BIGINT NOT NULL)`,
		`CREATE TABLE vod_deliveries (
		id TEXT PRIMARY KEY,
		job_id TEXT NOT NULL,
		webhook_id TEXT NOT NULL,
		event_id TEXT NOT NULL,
		type TEXT NOT NULL,
		body TEXT NOT NULL,
		status TEXT NOT NULL,
		attempts INTEGER NOT NULL,
		next_at BIGINT NOT NULL,
		last_error TEXT NOT NULL,
		created_at BIGINT NOT NULL)`,
		`CREATE INDEX vod_deliveries_due ON vod_deliveries (status, next_at)`,
		`CREATE TABLE vod_secrets (
		name TEXT PRIMARY KEY,
		value TEXT NOT NULL)`,
		`ALTER TABLE vod_job_segments ADD COLUMN ssim DOUBLE PRECISION NOT NULL DEFAULT 0`,
		`ALTER TABLE vod_job_segments ADD COLUMN psnr DOUBLE PRECISION NOT NULL DEFAULT 0`,
		`ALTER TABLE vod_job_segments ADD COLUMN paid_wei TEXT NOT NULL DEFAULT '0'`,
		// When the runner last took a job of each owner: owners take turns.
		`CREATE TABLE vod_turns (
		owner TEXT PRIMARY KEY,
		last_claim BIGINT NOT NULL)`,
		`CREATE INDEX vod_jobs_status_lease ON vod_jobs (status, lease_until)`,
	}
}
