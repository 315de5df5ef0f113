package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The S3 store's integration tests run against a real S3-compatible server:
// SeaweedFS's weed (Apache-2.0), started by the test on loopback ports with
// a temporary data directory and an identity with keys, so that every
// Signature Version 4 signature is verified by the server. Without a weed
// binary they skip; `make s3-test` builds one (scripts/weed.sh) and runs them.

// The identity the server is configured with.
const (
	weedAccessKey = "sceval-test-access"
	weedSecretKey = "sceval-test-secret-0123456789abcdefghij"
)

// findWeed returns the weed binary: $SCEVAL_TEST_WEED, else weed on PATH,
// else the newest one scripts/weed.sh built into the cache. Without one
// the test skips, or fails when SCEVAL_TEST_S3_REQUIRED=1 (make s3-test
// sets it; CI may).
func findWeed(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SCEVAL_TEST_WEED"); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			t.Fatalf("SCEVAL_TEST_WEED=%s is not an executable file (%v)", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p
	}
	cache := weedCacheDir()
	if p := newestWeed(cache); p != "" {
		return p
	}
	msg := "S3 integration tests against SeaweedFS skipped: no weed binary (set SCEVAL_TEST_WEED=/path/to/weed, put weed on PATH, " +
		"or run `make s3-test`, which builds it once into " + cache + "/weed-<version>/)"
	if os.Getenv("SCEVAL_TEST_S3_REQUIRED") == "1" {
		t.Fatal(msg + "; SCEVAL_TEST_S3_REQUIRED=1 makes this a failure")
	}
	if os.Getenv("CI") == "true" {
		msg += " [CI: set SCEVAL_TEST_S3_REQUIRED=1 to make a missing weed fail]"
	}
	t.Skip(msg)
	return ""
}

// weedCacheDir is where scripts/weed.sh builds weed:
// ${XDG_CACHE_HOME:-$HOME/.cache}/sceval.
func weedCacheDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "sceval")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "sceval")
}

// newestWeed returns the most recently built cache/weed-*/weed, or "".
// The version is pinned in scripts/weed.sh only, so any is accepted here.
func newestWeed(cache string) string {
	paths, _ := filepath.Glob(filepath.Join(cache, "weed-*", "weed"))
	best, bestTime := "", time.Time{}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 && fi.ModTime().After(bestTime) {
			best, bestTime = p, fi.ModTime()
		}
	}
	return best
}

// weedServer is one `weed server -s3` process (master, volume server,
// filer and S3 gateway in one process) and the directory it keeps its data
// in, which outlives restarts.
type weedServer struct {
	t                           *testing.T
	bin, dir                    string
	master, volume, filer, s3   int // HTTP ports; each gRPC port is +10000
	cmd                         *exec.Cmd
	exited                      chan struct{}
	logPath                     string
	client                      *http.Client
	startTimeout, lastStartTook time.Duration
}

// startWeed starts a server with a fresh data directory, stopped when the
// test ends.
func startWeed(t *testing.T, bin string) *weedServer {
	t.Helper()
	dir, err := os.MkdirTemp("", "sceval-weed-")
	if err != nil {
		t.Fatal(err)
	}
	w := &weedServer{t: t, bin: bin, dir: dir, logPath: filepath.Join(dir, "weed.log"),
		client: &http.Client{Timeout: 30 * time.Second}, startTimeout: 3 * time.Minute}
	t.Cleanup(func() {
		w.kill()
		w.removeSockets()
		if t.Failed() {
			t.Logf("weed's data and log kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	for _, sub := range []string{"data", "config"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	// An empty security.toml in -config_dir, found before any in
	// ~/.seaweedfs or /etc/seaweedfs, keeps a developer's own settings
	// (JWT keys, TLS) out of the test.
	if err := os.WriteFile(filepath.Join(dir, "config", "security.toml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	identities := map[string]any{"identities": []map[string]any{{
		"name":        "sceval",
		"credentials": []map[string]string{{"accessKey": weedAccessKey, "secretKey": weedSecretKey}},
		"actions":     []string{"Admin", "Read", "List", "Tagging", "Write"},
	}}}
	b, _ := json.Marshal(identities)
	if err := os.WriteFile(filepath.Join(dir, "config", "s3.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	ports, err := freePortPairs(4)
	if err != nil {
		t.Fatal(err)
	}
	w.master, w.volume, w.filer, w.s3 = ports[0], ports[1], ports[2], ports[3]
	w.start()
	return w
}

// freePortPairs finds n ports p such that p and p+10000 are both free on
// loopback. Each weed service listens on p (HTTP) and p+10000 (gRPC).
// The ports stay below Linux's ephemeral range (32768 and up), from which
// the kernel picks the source ports of weed's own connections between its
// services: a port from that range could be taken between this check and
// weed's listen, on restart too.
func freePortPairs(n int) ([]int, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	var ports []int
	for try := 0; len(ports) < n && try < 2000; try++ {
		p := 12000 + rand.IntN(32768-10000-12000)
		if slices.Contains(ports, p) || slices.Contains(ports, p+10000) || slices.Contains(ports, p-10000) {
			continue
		}
		l1, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		l2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			l1.Close()
			continue
		}
		held = append(held, l1, l2)
		ports = append(ports, p)
	}
	if len(ports) < n {
		return nil, fmt.Errorf("found only %d of %d free port pairs (p, p+10000) below 32768", len(ports), n)
	}
	return ports, nil
}

// endpoint is the S3 gateway's host:port.
func (w *weedServer) endpoint() string { return "127.0.0.1:" + strconv.Itoa(w.s3) }

// start runs weed on the server's data directory and ports and waits
// until a bucket can be created and an object written and read back.
func (w *weedServer) start() {
	w.t.Helper()
	port := func(p int) string { return strconv.Itoa(p) }
	args := []string{
		"-config_dir=" + filepath.Join(w.dir, "config"), "-logtostderr",
		"server",
		"-dir=" + filepath.Join(w.dir, "data"),
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + port(w.master), "-master.port.grpc=" + port(w.master+10000),
		"-master.peers=none", "-master.volumeSizeLimitMB=64", "-master.telemetry=false",
		"-volume.port=" + port(w.volume), "-volume.port.grpc=" + port(w.volume+10000),
		"-volume.max=8", "-volume.preStopSeconds=0",
		"-filer.port=" + port(w.filer), "-filer.port.grpc=" + port(w.filer+10000),
		"-filer.localSocket=" + filepath.Join(w.dir, "filer.sock"),
		"-s3", "-s3.port=" + port(w.s3), "-s3.port.grpc=" + port(w.s3+10000),
		"-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.localSocket=" + filepath.Join(w.dir, "s3.sock"),
		"-s3.config=" + filepath.Join(w.dir, "config", "s3.json"),
		// Buckets exist only when created, as on AWS: a missing bucket is
		// an error the store must report, not one an upload creates.
		"-s3.autoCreateBucket=false",
	}
	logFile, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		w.t.Fatal(err)
	}
	fmt.Fprintf(logFile, "\n==== %s %s\n", w.bin, strings.Join(args, " "))
	cmd := exec.Command(w.bin, args...)
	cmd.Dir = w.dir
	// HOME in the data directory: weed reads ~/.seaweedfs too.
	cmd.Env = append(os.Environ(), "HOME="+w.dir)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		w.t.Fatalf("start %s: %v", w.bin, err)
	}
	w.cmd, w.exited = cmd, make(chan struct{})
	go func() {
		cmd.Wait()
		logFile.Close()
		close(w.exited)
	}()
	if err := w.waitReady(); err != nil {
		w.stop()
		w.t.Fatalf("weed server did not become ready in %s: %v\n%s", w.startTimeout, err, w.logTail(60))
	}
	w.lastStartTook = time.Since(began)
	w.t.Logf("weed server ready on %s after %s (data %s)", w.endpoint(), w.lastStartTook.Round(time.Millisecond), w.dir)
}

// waitReady polls until the probe bucket exists and an object put into it
// reads back: the S3 gateway, filer, master and a writable volume are all
// up. Polling is the only way to know; weed prints no single "ready" line.
func (w *weedServer) waitReady() error {
	deadline := time.Now().Add(w.startTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-w.exited:
			return fmt.Errorf("weed exited: %v", w.cmd.ProcessState)
		default:
		}
		if last = w.probe(); last == nil {
			return nil
		}
		time.Sleep(250 * time.Millisecond)
	}
	return last
}

func (w *weedServer) probe() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.createBucket(ctx, "readiness-probe"); err != nil {
		return err
	}
	body := []byte("ready " + strconv.FormatInt(time.Now().UnixNano(), 10))
	st, _, err := w.do(ctx, http.MethodPut, "/readiness-probe/probe", "", body)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("put probe object: %d %v", st, err)
	}
	st, got, err := w.do(ctx, http.MethodGet, "/readiness-probe/probe", "", nil)
	if err != nil || st != http.StatusOK || !bytes.Equal(got, body) {
		return fmt.Errorf("get probe object: %d %q %v", st, got, err)
	}
	return nil
}

// createBucket creates a bucket with a signed PUT Bucket request; one that
// exists already is fine.
func (w *weedServer) createBucket(ctx context.Context, bucket string) error {
	st, body, err := w.do(ctx, http.MethodPut, "/"+bucket, "", nil)
	switch {
	case err != nil:
		return fmt.Errorf("create bucket %s: %w", bucket, err)
	case st == http.StatusOK:
		return nil
	case st == http.StatusConflict && bytes.Contains(body, []byte("BucketAlreadyOwnedByYou")):
		return nil
	}
	return fmt.Errorf("create bucket %s: %d%s", bucket, st, s3ErrorCode(bytes.NewReader(body)))
}

// do sends one request signed with the server's identity (us-east-1, the
// region weed accepts by default) and returns the status and body.
func (w *weedServer) do(ctx context.Context, method, path, rawQuery string, body []byte) (int, []byte, error) {
	res, got, err := w.send(ctx, method, path, rawQuery, body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, got, nil
}

// send is do returning the whole response (its body already read).
func (w *weedServer) send(ctx context.Context, method, path, rawQuery string, body []byte) (*http.Response, []byte, error) {
	u := "http://" + w.endpoint() + awsURIEscape(path)
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(body)
	signer{accessKey: weedAccessKey, secretKey: weedSecretKey, region: "us-east-1"}.sign(req, hex.EncodeToString(sum[:]), time.Now())
	res, err := w.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	return res, got, err
}

// list returns the keys in bucket under prefix (ListObjectsV2, one page:
// the tests store far fewer than 1,000 objects).
func (w *weedServer) list(bucket, prefix string) []string {
	w.t.Helper()
	st, body, err := w.do(context.Background(), http.MethodGet, "/"+bucket, "list-type=2&prefix="+awsEscape(prefix, true), nil)
	if err != nil || st != http.StatusOK {
		w.t.Fatalf("list %s/%s: %d %v %s", bucket, prefix, st, err, body)
	}
	var res struct {
		Contents []struct {
			Key  string `xml:"Key"`
			Size int64  `xml:"Size"`
		} `xml:"Contents"`
		IsTruncated bool `xml:"IsTruncated"`
	}
	if err := xml.Unmarshal(body, &res); err != nil || res.IsTruncated {
		w.t.Fatalf("list %s/%s: %v (truncated %v): %s", bucket, prefix, err, res.IsTruncated, body)
	}
	var keys []string
	for _, c := range res.Contents {
		keys = append(keys, c.Key)
	}
	slices.Sort(keys)
	return keys
}

// stop ends weed with SIGTERM (its clean shutdown), killing it if it has
// not exited after 30 seconds.
func (w *weedServer) stop() {
	if w.cmd == nil {
		return
	}
	began := time.Now()
	defer func() { w.t.Logf("weed stopped in %s", time.Since(began).Round(time.Millisecond)) }()
	select {
	case <-w.exited:
	default:
		w.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-w.exited:
		case <-time.After(30 * time.Second):
			w.t.Logf("weed did not stop within 30 s of SIGTERM; killing it")
			w.cmd.Process.Kill()
			<-w.exited
		}
	}
	w.cmd = nil
	w.client.CloseIdleConnections()
}

// kill ends weed at once: at the end of the test, where its data is
// thrown away, the 15 seconds of its clean shutdown buy nothing.
func (w *weedServer) kill() {
	if w.cmd == nil {
		return
	}
	w.cmd.Process.Kill()
	<-w.exited
	w.cmd = nil
	w.client.CloseIdleConnections()
}

// removeSockets removes the Unix sockets weed creates for its gRPC
// services at fixed paths in /tmp (/tmp/seaweedfs-<service>-grpc-<port>.sock,
// not configurable) and leaves behind when it exits.
func (w *weedServer) removeSockets() {
	for service, port := range map[string]int{"master": w.master, "volume": w.volume, "filer": w.filer, "s3": w.s3} {
		os.Remove(fmt.Sprintf("/tmp/seaweedfs-%s-grpc-%d.sock", service, port+10000))
	}
}

// logTail returns the last n lines of weed's output.
func (w *weedServer) logTail(n int) string {
	b, err := os.ReadFile(w.logPath)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "--- weed log (" + w.logPath + "), last lines:\n" + strings.Join(lines, "\n")
}
