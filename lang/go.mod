module github.com/walkerhost/walkerhost/lang

go 1.24
