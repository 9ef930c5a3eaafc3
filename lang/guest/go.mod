module github.com/walkerhost/walkerhost/lang/guest

go 1.24

require (
	github.com/walkerhost/walkerhost/abi v0.0.0
	github.com/walkerhost/walkerhost/lang v0.0.0
	github.com/walkerhost/walkerhost/sdk v0.0.0
)

replace (
	github.com/walkerhost/walkerhost/abi => ../../abi
	github.com/walkerhost/walkerhost/lang => ..
	github.com/walkerhost/walkerhost/sdk => ../../sdk
)
