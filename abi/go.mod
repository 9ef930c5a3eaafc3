module github.com/walkerhost/walkerhost/abi

go 1.24
