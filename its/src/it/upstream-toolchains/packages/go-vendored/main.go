// A Go program written for this test (not an upstream release): it uses one package of each module it
// requires, which are real upstream releases vendored from a Go module proxy, and prints one line for each.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hjson/hjson-go/v4"
	"github.com/pkg/errors"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

const schema = `{
	"type": "object",
	"required": ["name"],
	"properties": {"name": {"type": "string"}}
}`

func main() {
	fmt.Println("pkg/errors:", errors.Wrap(os.ErrNotExist, "reading go-vendored.conf"))

	compiled, err := jsonschema.CompileString("go-vendored.schema.json", schema)
	if err != nil {
		fail(err)
	}
	valid, invalid := decode(`{"name": "go-vendored"}`), decode(`{"name": 42}`)
	fmt.Printf("jsonschema/v5: valid document accepted: %t, invalid document rejected: %t\n",
		compiled.Validate(valid) == nil, compiled.Validate(invalid) != nil)

	var config map[string]interface{}
	if err := hjson.Unmarshal([]byte("{\n  # a comment\n  name: go-vendored\n}"), &config); err != nil {
		fail(err)
	}
	fmt.Println("hjson-go/v4: name:", config["name"])
}

// decode reads a JSON document as jsonschema/v5 wants it (numbers as json.Number).
func decode(doc string) interface{} {
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		fail(err)
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go-vendored:", err)
	os.Exit(1)
}
