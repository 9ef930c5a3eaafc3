package testenv

import (
	"testing"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// Tier is one store configuration a host can run on.
type Tier struct {
	Name string
	// Configure points cfg at the tier, with data of the test's own.
	Configure func(t testing.TB, cfg *config.Config)
}

// Tiers are the store configurations black-box tests run on: the embedded
// store in the data directory, and Redis with MongoDB.
var Tiers = []Tier{
	{"embedded", func(testing.TB, *config.Config) {}},
	{"redis+mongodb", SharedDatabases},
}

// EachTier runs fn as one subtest per tier, given Config(t) on that tier.
// The subtests run in parallel: their hosts share nothing.
func EachTier(t *testing.T, fn func(t *testing.T, cfg config.Config)) {
	for _, tier := range Tiers {
		t.Run(tier.Name, func(t *testing.T) {
			t.Parallel()
			cfg := Config(t)
			tier.Configure(t, &cfg)
			fn(t, cfg)
		})
	}
}

// SharedServers returns the Redis and MongoDB servers this test binary
// shares, starting them on first use; StopShared stops them.
func SharedServers(t testing.TB) (redis, mongo *dbserver.Server) {
	t.Helper()
	redis, mongo, err := dbserver.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return redis, mongo
}

// SharedDatabases points cfg at the shared servers (SharedServers), with a
// MongoDB database, and so Redis keys, of the test's own.
func SharedDatabases(t testing.TB, cfg *config.Config) {
	t.Helper()
	redis, mongo := SharedServers(t)
	cfg.RedisURL = redis.URL
	cfg.MongoURI = mongo.URL + DatabaseName(t)
}

// DatabaseName returns a MongoDB database name unique in this test binary,
// readable as the test's.
func DatabaseName(t testing.TB) string { return dbserver.DatabaseName(t.Name()) }

// StopShared stops the shared servers, if started, and removes the jac
// JacBinary built; call it from TestMain after the tests ran.
func StopShared() {
	dbserver.StopShared()
	removeJacBinary()
}
