// A Go program written for this test (not an upstream release): it shows that %gobuild builds for
// the target arch with the SDK's Go.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Printf("hello from %s on %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
