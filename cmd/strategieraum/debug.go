package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// checkDebugAddr accepts only a loopback address for the debug listener:
// the runtime's profiles have no login and tell much about the process.
func checkDebugAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err == nil && host == "localhost" {
		return nil
	}
	if err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("invalid debug address %q: a loopback address with a port, e.g. 127.0.0.1:6060", addr)
}

// debugServer serves the Go runtime's profiles (CPU, heap, goroutines,
// blocking, execution trace) under /debug/pprof/ for profiling a running
// instance: go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=30
func debugServer(addr string) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}
