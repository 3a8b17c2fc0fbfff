module example.com/go-vendored

go 1.21

require (
	github.com/hjson/hjson-go/v4 v4.4.0
	github.com/pkg/errors v0.9.1
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1
)
