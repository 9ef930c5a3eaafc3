package graph

import (
	"context"
	"os"
	"testing"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/dbserver"
	"github.com/walkerhost/walkerhost/internal/tiered"
)

func TestMain(m *testing.M) {
	code := m.Run()
	dbserver.StopShared()
	os.Exit(code)
}

// TestOnTiered runs the package's tests again on the tiered store (Redis
// and FerretDB): the graph must not tell the backends apart.
func TestOnTiered(t *testing.T) {
	redis, mongo, err := dbserver.Shared()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // fixture folder → its database
	old := openStore
	openStore = func(t testing.TB, dir string) (*store.DB, error) {
		if names[dir] == "" {
			names[dir] = dbserver.DatabaseName(t.Name())
		}
		be, err := tiered.Open(context.Background(), tiered.Options{RedisURL: redis.URL, MongoURI: mongo.URL + names[dir]})
		if err != nil {
			return nil, err
		}
		return store.New(be), nil
	}
	defer func() { openStore = old }()
	tests := []struct {
		name string
		fn   func(*testing.T)
	}{
		{"Graph_Hammer", TestGraph_Hammer},
		{"Tx_CommitAtomic", TestTx_CommitAtomic},
		{"Tx_CommitConflict", TestTx_CommitConflict},
		{"Tx_CommitMerges", TestTx_CommitMerges},
		{"Graph_Persistence", TestGraph_Persistence},
		{"Graph_AppNamespace", TestGraph_AppNamespace},
		{"Graph_GuestRoot", TestGraph_GuestRoot},
		{"Tx_CommitReadOnly", TestTx_CommitReadOnly},
		{"Tx_Get", TestTx_Get},
		{"Tx_CreateNode", TestTx_CreateNode},
		{"Tx_Update", TestTx_Update},
		{"Tx_Delete", TestTx_Delete},
		{"Tx_Perm_Errors", TestTx_Perm_Errors},
		{"Tx_Denials", TestTx_Denials},
		{"Tx_Connect", TestTx_Connect},
		{"Tx_Disconnect", TestTx_Disconnect},
		{"Tx_Edges", TestTx_Edges},
		{"Tx_Edges_Uncommitted", TestTx_Edges_Uncommitted},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.fn)
	}
}
