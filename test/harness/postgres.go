package harness

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to wait for the server
)

// Postgres is a PostgreSQL server of Debian's package, started for a test
// in a fresh data directory on a loopback port and stopped at its end.
type Postgres struct {
	addr string
	dbs  atomic.Int64
}

// StartPostgres runs initdb and postgres. Without the package it skips the
// test, or fails it under CI=true. As root the server runs as the postgres
// user, since PostgreSQL refuses to run as root.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := postgresBin(t)
	dir, err := os.MkdirTemp("", "castmesh-pg-") // not t.TempDir: its parents are root's alone
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cred := postgresUser(t, dir)
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(context.WithoutCancel(t.Context()), filepath.Join(bin, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		return cmd
	}
	if out, err := run("initdb", "-D", data, "-U", "castmesh", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	addr := FreeAddrs(t, 1)[0]
	_, port, _ := net.SplitHostPort(addr)
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		t.Fatal(err)
	}
	srv := run("postgres", "-D", data, "-h", "127.0.0.1", "-p", port, "-k", dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		t.Fatalf("postgres: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = srv.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = srv.Process.Signal(syscall.SIGINT) // fast shutdown: clients are cut off
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("--- postgres log (last 4 KiB) ---\n%s", lastBytes(b, 4096))
		}
		logf.Close()
	})
	p := &Postgres{addr: addr}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if err := ping(t.Context(), p.url("postgres")); err == nil {
			break
		} else if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("postgres did not start: %v\n%s", err, b)
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("postgres exited:\n%s", b)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return p
}

// Database creates an empty database and returns its URL.
func (p *Postgres) Database(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("castmesh_%d", p.dbs.Add(1))
	db, err := sql.Open("pgx", p.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return p.url(name)
}

func (p *Postgres) url(db string) string {
	return "postgres://castmesh@" + p.addr + "/" + db + "?sslmode=disable"
}

func ping(ctx context.Context, url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// postgresBin finds the newest installed server's bin directory.
func postgresBin(t testing.TB) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d
		}
	}
	msg := "PostgreSQL is not installed (run `make setup`)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI must not skip")
	}
	t.Skip(msg)
	return ""
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// postgresUser is who the server runs as: the postgres user, owning dir,
// when the test runs as root; else the test's own user (nil).
func postgresUser(t testing.TB, dir string) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root needs the postgres user of Debian's package: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)} //nolint:gosec // ids from /etc/passwd
}
