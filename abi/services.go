package abi

// Operations of store_call, the first argument. See ABI.md "Storage".
const (
	StoreUpload   int32 = 1 // [path, bytes (string) | upload id (int)] -> path
	StoreDownload int32 = 2 // [path] -> bytes (string)
	StoreDelete   int32 = 3 // [path] -> bool
	StoreExists   int32 = 4 // [path] -> bool
	StoreList     int32 = 5 // [prefix, recursive] -> [path, ...]
	StoreMetadata int32 = 6 // [path] -> {name, path, size, is_dir, modified, created}
	StoreCopy     int32 = 7 // [src, dst] -> dst
	StoreMove     int32 = 8 // [src, dst] -> dst
)

// Operations of kv_call, the first argument. Every argument list starts
// with the kind, the database name and the URI (or null). See ABI.md
// "Key-value stores".
const (
	// Both kinds.
	KVGet    int32 = 1 // [key] -> value | null
	KVSet    int32 = 2 // [key, value] -> null
	KVDelete int32 = 3 // [key] -> bool
	KVExists int32 = 4 // [key] -> bool

	// MongoDB only.
	KVFindOne    int32 = 16 // [collection, filter] -> document | null
	KVFind       int32 = 17 // [collection, filter, {limit, skip, sort}] -> [document, ...]
	KVInsertOne  int32 = 18 // [collection, document] -> id
	KVInsertMany int32 = 19 // [collection, [document, ...]] -> [id, ...]
	KVUpdateOne  int32 = 20 // [collection, filter, update] -> {matched, modified}
	KVUpdateMany int32 = 21 // [collection, filter, update] -> {matched, modified}
	KVDeleteOne  int32 = 22 // [collection, filter] -> deleted count
	KVDeleteMany int32 = 23 // [collection, filter] -> deleted count
	KVFindByID   int32 = 24 // [collection, id] -> document | null
	KVUpdateByID int32 = 25 // [collection, id, update] -> {matched, modified}
	KVDeleteByID int32 = 26 // [collection, id] -> bool

	// Redis only.
	KVSetWithTTL int32 = 32 // [key, value, seconds] -> null
	KVExpire     int32 = 33 // [key, seconds] -> bool
	KVIncr       int32 = 34 // [key, amount] -> new value
	KVScanKeys   int32 = 35 // [pattern] -> [key, ...]
)

// Kinds of key-value store, the first element of every kv_call argument list.
const (
	KindRedis   = "redis"
	KindMongoDB = "mongodb"
)

// Keys of the map that stands for an uploaded file in a request record's
// fields. See ABI.md "Uploads".
const (
	UploadName        = "name"
	UploadContentType = "content_type"
	UploadSize        = "size"
	UploadID          = "upload"
)
