module github.com/walkerhost/walkerhost/testdata/jac/bench/peer

go 1.24

require github.com/walkerhost/walkerhost/sdk v0.0.0

require github.com/walkerhost/walkerhost/abi v0.0.0 // indirect

replace (
	github.com/walkerhost/walkerhost/abi => ../../../../abi
	github.com/walkerhost/walkerhost/sdk => ../../../../sdk
)
