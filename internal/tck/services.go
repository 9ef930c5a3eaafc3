package tck

import "time"

// store is a step running one storage call.
func store(op string, args ...any) Step { return walker("store", M{"op": op, "args": L(args)}) }

// kv is a step running one key-value call on the store tck of kind.
func kv(kind, op string, args ...any) Step {
	return walker("kv", M{"kind": kind, "op": op, "args": L(args)})
}

func storage() []Behaviour {
	return []Behaviour{
		{Name: "files round trip", Section: "Storage", Steps: []Step{
			store("upload", "./docs//a.txt", "hello").want(reports(ok("docs/a.txt"))),
			store("download", "docs/a.txt").want(reports(ok("hello"))),
			store("upload", "docs/b.txt", "b").want(reports(ok("docs/b.txt"))),
			store("upload", "docs/sub/c.txt", "c").want(reports(ok("docs/sub/c.txt"))),
			store("upload", "top.txt", "t").want(reports(ok("top.txt"))),
			// without recursive, the entries directly in the folder, subfolders included
			store("list", "", false).want(reports(ok(L{"docs", "top.txt"}))),
			store("list", "", true).want(reports(ok(L{"docs/a.txt", "docs/b.txt", "docs/sub/c.txt", "top.txt"}))),
			store("list", "docs/", false).want(reports(ok(L{"docs/a.txt", "docs/b.txt", "docs/sub"}))),
			store("list", "docs/a", true).want(reports(ok(L{"docs/a.txt"}))),
			store("metadata", "docs/a.txt").want(reports(ok(M{"name": "a.txt", "path": "docs/a.txt", "size": 5, "is_dir": false,
				"modified": "~Z", "created": "~Z"}))),
			store("metadata", "docs").want(reports(ok(M{"is_dir": true}))),
			store("copy", "docs/a.txt", "copy.txt").want(reports(ok("copy.txt"))),
			store("move", "copy.txt", "moved/x.txt").want(reports(ok("moved/x.txt"))),
			store("exists", "copy.txt").want(reports(ok(false))),
			store("download", "moved/x.txt").want(reports(ok("hello"))),
			store("delete", "docs").want(reports(ok(true))),
			store("exists", "docs/a.txt").want(reports(ok(false))),
		}},
		{Name: "refused paths", Section: "Storage", Steps: []Step{
			store("download", "../x").want(reports(failedMsg(errDenied, "store download: "))),
			store("upload", "/etc/x", "").want(reports(failedMsg(errDenied, "store upload: "))),
			store("exists", "a\x00b").want(reports(failedMsg(errBadArgument, "store exists: "))),
			store("download", "none").want(reports(failedMsg(errNotFound, "store download: "))),
			store("copy", "none", "x").want(reports(failedMsg(errNotFound, "store copy: "))),
			store("upload_id", "x").want(reports(failedMsg(errNotFound, "store upload: "))),
		}},
	}
}

func kvstores() []Behaviour {
	return []Behaviour{
		{Name: "redis", Section: "Key-value stores", Needs: "redis", Steps: []Step{
			kv("redis", "get", "none").want(reports(ok(nil))),
			kv("redis", "set", "k", M{"n": 1, "l": L{"x", 2.5}}).want(reports(ok(nil))),
			kv("redis", "get", "k").want(reports(ok(M{"n": 1, "l": L{"x", 2.5}}))),
			kv("redis", "incr", "c").want(reports(ok(1))),
			kv("redis", "incr_by", "c", -5).want(reports(ok(-4))),
			kv("redis", "incr", "k").want(reports(failed(errBadArgument))),
			kv("redis", "set_with_ttl", "t", "v", 2).want(reports(ok(nil))),
			kv("redis", "expire", "k", 1).want(reports(ok(true))),
			kv("redis", "scan_keys", "").want(reports(ok(L{"c", "k", "t"}))),
			withSleep(kv("redis", "scan_keys", "*"), 1200*time.Millisecond).want(reports(ok(L{"c", "t"}))),
			withSleep(kv("redis", "exists", "t"), time.Second).want(reports(ok(false))),
			kv("redis", "delete", "c").want(reports(ok(true))),
			kv("redis", "find_one", "c", M{}).want(reports(failedMsg(errUnsupported,
				"kv find_one: not supported: kv: find_one is not supported for Redis (it is a MongoDB method)"))),
		}},
		{Name: "an allowed URI", Section: "Key-value stores", Needs: "redis", Steps: []Step{
			walker("kv", M{"kind": "redis", "uri": "${redis_db1}", "op": "set", "args": L{"k", 1}}).want(reports(ok(nil))),
			walker("kv", M{"kind": "redis", "uri": "redis://elsewhere:6379/0", "op": "set", "args": L{"k", 1}}).
				want(reports(failed(errDenied))),
		}},
		{Name: "mongodb", Section: "Key-value stores", Needs: "mongodb", Steps: []Step{
			kv("mongodb", "set", "k", "v").want(reports(ok(nil))),
			kv("mongodb", "get", "k").want(reports(ok("v"))),
			kv("mongodb", "insert_one", "orders", M{"item": "pen", "qty": 2}).save("pen", "reports.0.value"),
			kv("mongodb", "insert_many", "orders", L{M{"_id": "o2", "item": "ink", "qty": 10}, M{"item": "cap", "qty": 0}}).
				want(reports(ok(L{"o2", Any}))),
			kv("mongodb", "find", "orders", M{"qty": M{"$gte": 1}}, M{"sort": L{"-qty"}}).
				want(reports(ok(L{M{"item": "ink"}, M{"item": "pen"}}))),
			kv("mongodb", "find", "orders", nil, M{"limit": 1, "skip": 1, "sort": L{"item"}}).
				want(reports(ok(L{M{"item": "ink"}}))),
			kv("mongodb", "find_one", "orders", M{"$or": L{M{"item": "cap"}}}).want(reports(ok(M{"qty": 0}))),
			kv("mongodb", "update_one", "orders", M{"item": "pen"}, M{"$set": M{"qty": 3}}).
				want(reports(ok(M{"matched": 1, "modified": 1}))),
			kv("mongodb", "update_many", "orders", nil, M{"$set": M{"seen": true}}).want(reports(ok(M{"matched": 3}))),
			kv("mongodb", "find_by_id", "orders", "${pen}").want(reports(ok(M{"qty": 3}))),
			kv("mongodb", "update_by_id", "orders", "o2", M{"$set": M{"qty": 11}}).want(reports(ok(M{"matched": 1}))),
			kv("mongodb", "delete_by_id", "orders", "o2").want(reports(ok(true))),
			kv("mongodb", "delete_one", "orders", M{"seen": true}).want(reports(ok(1))),
			kv("mongodb", "delete_many", "orders", M{}).want(reports(ok(1))),
			kv("mongodb", "find", "o", M{"$where": "1"}).want(reports(failed(errBadArgument))),
			kv("mongodb", "update_one", "o", nil, M{"$inc": M{"n": 1}}).want(reports(failed(errBadArgument))),
			kv("mongodb", "scan_keys", "*").want(reports(failed(errUnsupported))),
			kv("mongodb", "set_with_ttl", "k", 1, 5).want(reports(failed(errUnsupported))),
			kv("mongodb", "set_root", "k").want(reports(failed(errBadArgument))),
			walker("kv", M{"kind": "mongodb", "uri": "mongodb://elsewhere/", "op": "set", "args": L{"k", 1}}).
				want(reports(failed(errDenied))),
			kv("memcached", "set", "k", 1).want(reports(failed(errBadArgument))),
		}},
	}
}

func withSleep(s Step, d time.Duration) Step { s.Sleep = d; return s }
