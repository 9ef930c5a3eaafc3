package apps

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
)

// Stored module versions. Each app keeps them in its own bucket of kind
// "modules", so with a shared store every replica sees the same versions:
//
//	w/<version>  the module's bytes
//	m/<version>  its metadata (VersionInfo as JSON)
//	active       the active version, in decimal
//
// The apps created by upload are listed in the host's own namespace
// (hostSpace, which no app name can take: app names have no dots).
const (
	modulesKind = "modules"
	hostSpace   = "jac.host"
	appsKind    = "apps"
	activeKey   = "active"
)

// VersionInfo describes one stored module version.
type VersionInfo struct {
	Version uint64    `json:"version"`
	Size    int       `json:"size"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

func versionKey(prefix string, n uint64) []byte { return fmt.Appendf(nil, "%s/%016d", prefix, n) }

// putVersion stores wasm as the app's next version.
func putVersion(db *store.DB, app string, wasm []byte) (VersionInfo, error) {
	sum := sha256.Sum256(wasm)
	info := VersionInfo{Size: len(wasm), SHA256: hex.EncodeToString(sum[:]), Created: time.Now().UTC()}
	err := db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, modulesKind)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		info.Version = n
		meta, _ := json.Marshal(info)
		if err := b.Put(versionKey("w", n), wasm); err != nil {
			return err
		}
		if err := b.Put(versionKey("m", n), meta); err != nil {
			return err
		}
		return tx.Bucket(hostSpace, appsKind).Put([]byte(app), []byte{1})
	})
	return info, err
}

// versions lists the app's stored versions, oldest first, and the active one.
func versions(db *store.DB, app string) ([]VersionInfo, uint64, error) {
	var out []VersionInfo
	var active uint64
	err := db.View(func(tx *store.Tx) error {
		b := tx.Bucket(app, modulesKind)
		active = parseVersion(b.Get([]byte(activeKey)))
		return b.Scan([]byte("m/"), func(_, v []byte) bool {
			var info VersionInfo
			if json.Unmarshal(v, &info) == nil {
				out = append(out, info)
			}
			return true
		})
	})
	return out, active, err
}

// activeVersion reads the app's active version (0: none).
func activeVersion(db *store.DB, app string) (uint64, error) {
	var n uint64
	err := db.View(func(tx *store.Tx) error {
		n = parseVersion(tx.Bucket(app, modulesKind).Get([]byte(activeKey)))
		return nil
	})
	return n, err
}

// readVersion returns the bytes of version n of app.
func readVersion(db *store.DB, app string, n uint64) ([]byte, error) {
	var wasm []byte
	err := db.View(func(tx *store.Tx) error {
		wasm = tx.Bucket(app, modulesKind).Get(versionKey("w", n))
		return nil
	})
	if err == nil && wasm == nil {
		err = fmt.Errorf("%w: app %s has no version %d", ErrNoVersion, app, n)
	}
	return wasm, err
}

// setActive records n as the app's active version.
func setActive(db *store.DB, app string, n uint64) error {
	return db.Update(func(tx *store.Tx) error {
		return tx.Bucket(app, modulesKind).Put([]byte(activeKey), strconv.AppendUint(nil, n, 10))
	})
}

// deleteVersion removes version n of app, unless it is the active one.
func deleteVersion(db *store.DB, app string, n uint64) error {
	return db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, modulesKind)
		if parseVersion(b.Get([]byte(activeKey))) == n {
			return fmt.Errorf("%w: version %d of app %s is active; activate another first", ErrActive, n, app)
		}
		if b.Get(versionKey("m", n)) == nil {
			return fmt.Errorf("%w: app %s has no version %d", ErrNoVersion, app, n)
		}
		if err := b.Delete(versionKey("w", n)); err != nil {
			return err
		}
		return b.Delete(versionKey("m", n))
	})
}

// uploadedApps lists the apps created by upload.
func uploadedApps(db *store.DB) ([]string, error) {
	var names []string
	err := db.View(func(tx *store.Tx) error {
		return tx.Bucket(hostSpace, appsKind).Scan(nil, func(k, _ []byte) bool {
			names = append(names, string(k))
			return true
		})
	})
	return names, err
}

func parseVersion(b []byte) uint64 {
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}
