// CoreDNS for the test platform's real node, with only the plugins its Corefile uses (tests/cluster/
// coredns.yaml), so that the build leaves out the cloud DNS back-ends of the stock binary. Built by
// tests/cluster/node-build.sh; the module graph is pinned by go.mod and go.sum next to this file.
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func main() {
	coremain.Run()
}
