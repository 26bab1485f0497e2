package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/broker"
)

func TestLoadKeyHexAndKeystore(t *testing.T) {
	dir := t.TempDir()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	want := crypto.PubkeyToAddress(key.PublicKey)

	hexFile := filepath.Join(dir, "key.hex")
	if err := WriteKey(hexFile, key); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(hexFile); st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode().Perm())
	}
	got, err := Config{KeyFile: hexFile}.LoadKey()
	if err != nil || crypto.PubkeyToAddress(got.PublicKey) != want {
		t.Fatalf("hex: %v", err)
	}

	// A geth keystore file, light scrypt so the test is quick.
	ks := keystore.NewKeyStore(filepath.Join(dir, "ks"), keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.ImportECDSA(key, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	ksFile, pwFile := acct.URL.Path, filepath.Join(dir, "pw")
	c := Config{KeyFile: ksFile, PasswordFile: pwFile}
	if _, err := c.LoadKey(); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("keystore without a password file: %v", err)
	}
	if err := os.WriteFile(pwFile, []byte("wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LoadKey(); !errors.Is(err, keystore.ErrDecrypt) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := os.WriteFile(pwFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = c.LoadKey()
	if err != nil || crypto.PubkeyToAddress(got.PublicKey) != want {
		t.Fatalf("keystore: %v", err)
	}
}

func TestParseKeyRejects(t *testing.T) {
	noPassword := func() ([]byte, error) { return nil, errors.New("no password") }
	for _, in := range []string{"", "0x", "zz", "0x1234", "{not json"} {
		if _, err := ParseKey([]byte(in), noPassword); err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
	if _, err := (Config{KeyFile: filepath.Join(t.TempDir(), "missing")}).LoadKey(); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Config{
		RPCURL: "http://127.0.0.1:8545", KeyFile: "k",
		Contracts: broker.Addresses{TicketBroker: common.Address{1}, ServiceRegistry: common.Address{2}},
	}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Config){
		"rpc_url":   func(c *Config) { c.RPCURL = "not a url" },
		"key_file":  func(c *Config) { c.KeyFile = "" },
		"contracts": func(c *Config) { c.Contracts = broker.Addresses{} },
	} {
		c := ok
		edit(&c)
		if err := c.Validate(); err == nil || !bytes.Contains([]byte(err.Error()), []byte(name)) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseKey(f *testing.F) {
	f.Add([]byte("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n"))
	f.Add([]byte("{\"version\":3}"))
	f.Add([]byte("zz"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
			return // keystore JSON: scrypt costs come from the file; go-ethereum's parser
		}
		none := func() ([]byte, error) { return nil, errors.New("none") }
		k, err := ParseKey(b, none)
		if err != nil {
			return
		}
		// What parsed must round-trip through the file format.
		again, err := ParseKey(fmt.Appendf(nil, "%x", crypto.FromECDSA(k)), none)
		if err != nil || crypto.PubkeyToAddress(again.PublicKey) != crypto.PubkeyToAddress(k.PublicKey) {
			t.Fatalf("key does not round-trip: %v", err)
		}
	})
}

func TestCheckMode(t *testing.T) {
	good := Config{
		RPCURL: "http://127.0.0.1:8545", KeyFile: "k",
		Contracts: broker.Addresses{TicketBroker: common.Address{1}, ServiceRegistry: common.Address{2}},
	}
	for _, c := range []struct {
		mode   string
		eth    Config
		on, ok bool
	}{
		{"off", Config{}, false, true}, // a trusted cluster needs no chain
		{"on", good, true, true},
		{"on", Config{}, true, false},
		{"maybe", good, false, false},
	} {
		on, err := CheckMode(c.mode, c.eth)
		if on != c.on || (err == nil) != c.ok {
			t.Errorf("%s: on %v err %v", c.mode, on, err)
		}
	}
}
