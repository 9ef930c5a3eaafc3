module github.com/walkerhost/walkerhost/testdata/badguests

go 1.24
