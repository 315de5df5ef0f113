package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/sceval/sceval/platform"
)

// setupSecret returns a fresh one-time setup secret when the database has
// no account (so the first administrator can be created from a browser),
// else "".
func setupSecret(ctx context.Context, svc *platform.Service) (string, error) {
	n, err := svc.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("count accounts: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	return platform.RandomPassword() + platform.RandomPassword(), nil
}

// printSetupLink prints the one-time first-admin link, if there is one.
func printSetupLink(cfg serveConfig, scheme string, addr net.Addr, out io.Writer) {
	if cfg.setupToken == "" {
		return
	}
	base := strings.TrimSuffix(cfg.publicURL, "/")
	if base == "" {
		base = scheme + "://" + reachable(addr)
	}
	fmt.Fprintf(out, "\nNo account exists yet. Create the first administrator (this link works once, until restart):\n"+
		"  %s/setup?token=%s\nor on the command line: sceval user create NAME --role admin --db %s\n\n",
		base, cfg.setupToken, redactDSN(cfg.db))
}

// warnExposure warns loudly when the server listens beyond loopback
// without TLS or a declared TLS-terminating proxy: passwords and session
// cookies would travel in clear text.
func warnExposure(cfg serveConfig, addr net.Addr, logger *slog.Logger, out io.Writer) {
	if cfg.tlsCert != "" || cfg.tlsProxy {
		return
	}
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	if cfg.publicURL == "" && cfg.allowedHosts == "" {
		fmt.Fprintf(out, "note: only the loopback names are answered as Host (others get 421): pass --public-url "+
			"with the address users type, or --allowed-hosts\n")
	}
	msg := fmt.Sprintf("WARNING: listening on %s beyond loopback WITHOUT TLS: passwords and session cookies cross the network "+
		"in clear text. Use --tls-cert/--tls-key, or put a TLS-terminating proxy in front and pass --tls-proxy.", addr)
	line := strings.Repeat("!", 78)
	fmt.Fprintf(out, "%s\n%s\n%s\n", line, msg, line)
	logger.Warn("serving beyond loopback without TLS", "addr", addr.String())
}

// reachable is addr as a browser on this machine can reach it: a wildcard
// listener is reached through 127.0.0.1.
func reachable(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return addr.String()
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
