module github.com/walkerhost/walkerhost/sdk

go 1.24

require github.com/walkerhost/walkerhost/abi v0.0.0

replace github.com/walkerhost/walkerhost/abi => ../abi
