package vod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/castmesh/castmesh/pkg/netguard"
)

// errPrivateAddress is a connection refused because it would reach a
// loopback, private or link-local address.
var errPrivateAddress = errors.New("refusing to connect to a private address")

// outboundClient is the HTTP client for URL sources and webhooks. Unless
// private URLs are allowed it checks every address it connects to, after
// DNS, so a name that resolves to a private address (rebinding) is
// refused too; redirects are followed at most three times.
func outboundClient(allowPrivate bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !netguard.PublicIP(ip) {
				return fmt.Errorf("%w: %s", errPrivateAddress, host)
			}
			return nil
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's
	transport.DialContext = dialer.DialContext
	transport.Proxy = nil
	return &http.Client{
		Transport: transport, Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("more than three redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s", req.URL.Scheme)
			}
			return nil
		},
	}
}

// fetch downloads a URL source to path (through a temporary file), within
// max_upload_bytes, and returns its size and SHA-256.
func (a *API) fetch(ctx context.Context, url, path string) (int64, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", errorf(http.StatusBadRequest, codeSourceURL, "source.url: %v", err)
	}
	resp, err := outboundClient(a.cfg.AllowPrivateURLs, 0).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", ctx.Err()
		}
		if errors.Is(err, errPrivateAddress) {
			return 0, "", errorf(http.StatusUnprocessableEntity, codeSourceURL, "source.url: %v", err)
		}
		return 0, "", fmt.Errorf("fetching the source: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := errorf(http.StatusUnprocessableEntity, codeSourceURL, "fetching the source: %s answered %s", url, resp.Status)
		if resp.StatusCode >= 500 {
			return 0, "", fmt.Errorf("%s", e.Message) // the server may recover: try again
		}
		return 0, "", e
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := writeFile(path, io.TeeReader(resp.Body, h), a.cfg.MaxUploadBytes)
	if errors.Is(err, errTooLong) {
		return 0, "", errorf(http.StatusUnprocessableEntity, codeTooLarge, "the source exceeds %d bytes", a.cfg.MaxUploadBytes)
	}
	if err != nil {
		return 0, "", fmt.Errorf("fetching the source: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
