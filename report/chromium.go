package report

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ErrNoChromium says that no Chromium was found: PDF cannot be made, the
// HTML form of a report still can.
var ErrNoChromium = errors.New("no Chromium found: install Debian's chromium (apt-get install chromium fonts-noto-cjk) " +
	"or set SCEVAL_CHROMIUM to its path; the HTML report works without it")

// chromiumNames are the executables looked for on PATH, in order.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// FindChromium returns the path of the browser: $SCEVAL_CHROMIUM when set
// (an error if it is not executable), else the first of chromiumNames on
// PATH, else ErrNoChromium.
func FindChromium() (string, error) {
	if p := os.Getenv("SCEVAL_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("SCEVAL_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// AllocatorOptions are the flags sceval starts Chromium with: headless,
// and quiet on the network — no background, component, sync or first-run
// traffic, so that a browser on a closed network makes no request of its
// own (the browser tests assert that every request goes to sceval).
// Running as root (containers, CI) needs --no-sandbox.
func AllocatorOptions(path string) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions"),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("font-render-hinting", "none"),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}
