// Package kubetest runs a real Kubernetes control plane for tests, on
// loopback ports and without containers: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, and kwok, which plays the
// kubelet of one fake node (pods go Running and Ready without running
// anything). scripts/deps.sh builds the binaries. One cluster serves a
// whole test package:
//
//	func TestMain(m *testing.M) { os.Exit(kubetest.Main(m)) }
//
//	func TestX(t *testing.T) { c := kubetest.Get(t); ... }
//
// Nothing listens behind Services (there is no kube-proxy and no
// container), so tests assert on API objects, not traffic. Pods whose
// image name contains "crashloop" or "unready" fail the way such
// containers would (testdata/stages.yaml).
package kubetest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Cluster is a running control plane.
type Cluster struct {
	Config     *rest.Config         // admin access
	Kubeconfig string               // the same, as a file (for KUBECONFIG)
	Client     kubernetes.Interface // a client for Config
	dir        string
	mu         sync.Mutex // guards procs, started concurrently
	procs      []*proc
}

var (
	once     sync.Once
	shared   *Cluster
	startErr error
)

// Get returns the package's cluster, starting it on first use. A cluster
// that cannot start (binaries missing: run scripts/deps.sh) fails the test.
func Get(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { shared, startErr = Start() })
	if startErr != nil {
		t.Fatal(startErr)
	}
	return shared
}

// Main runs the package's tests, then stops the cluster if one was
// started and removes the binaries StaticJac and StubHost built.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// Start starts a cluster: etcd, then the API server, then the controller
// manager, the scheduler and kwok; then it adds the fake node and the
// persistent volumes that volume claims bind to.
func Start() (*Cluster, error) {
	bins, err := binaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kubetest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	if err := c.start(bins); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start(bins paths) error {
	pk, err := newPKI(c.dir)
	if err != nil {
		return fmt.Errorf("kubetest: pki: %w", err)
	}
	etcdURL, err := c.startEtcd(bins)
	if err != nil {
		return err
	}
	if err := c.startAPIServer(bins, pk, etcdURL); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, f := range []func(paths) error{c.startControllerManager(pk), c.startScheduler, c.startKwok} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f(bins) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return c.seed()
}

// Stop stops every server by its PID, newest first, and removes the
// cluster's files. It is safe to call twice.
func (c *Cluster) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].stop(10 * time.Second)
	}
	c.procs = nil
	if c.dir != "" {
		os.RemoveAll(c.dir)
		c.dir = ""
	}
}

func (c *Cluster) spawn(name string, argv ...string) (*proc, error) {
	p, err := spawn(c.dir, name, argv...)
	if err == nil {
		c.mu.Lock()
		c.procs = append(c.procs, p)
		c.mu.Unlock()
	}
	return p, err
}

func (c *Cluster) startEtcd(bins paths) (string, error) {
	var ports [3]int
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return "", err
		}
		ports[i] = p
	}
	client := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peer := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	p, err := c.spawn("etcd", bins.etcd, "--name", "kubetest", "--data-dir", filepath.Join(c.dir, "etcd"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "kubetest="+peer,
		"--listen-metrics-urls", "http://127.0.0.1:"+strconv.Itoa(ports[2]),
		"--unsafe-no-fsync", "--log-level", "warn")
	if err != nil {
		return "", err
	}
	return client, p.until(20*time.Second, "health", httpOK(http.DefaultClient, client+"/health"))
}

func (c *Cluster) startAPIServer(bins paths, pk *pki, etcdURL string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	host := "https://127.0.0.1:" + strconv.Itoa(port)
	p, err := c.spawn("kube-apiserver", bins.apiserver,
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port="+strconv.Itoa(port),
		"--endpoint-reconciler-type=none",
		"--tls-cert-file="+pk.Cert, "--tls-private-key-file="+pk.Key, "--client-ca-file="+pk.CA,
		"--token-auth-file="+pk.Tokens, "--authorization-mode=RBAC",
		"--service-account-issuer="+host, "--service-account-key-file="+pk.SAPub,
		"--service-account-signing-key-file="+pk.SAKey,
		"--service-cluster-ip-range=10.96.0.0/16", "--service-node-port-range=30000-32767",
		"--disable-admission-plugins=ServiceAccount",
		"--allow-privileged=true", "--cert-dir="+filepath.Join(c.dir, "apiserver-certs"), "--profiling=false")
	if err != nil {
		return err
	}
	c.Config = &rest.Config{Host: host, BearerToken: pk.token, TLSClientConfig: rest.TLSClientConfig{CAData: pk.caPEM},
		QPS: 50, Burst: 100}
	if c.Client, err = kubernetes.NewForConfig(c.Config); err != nil {
		return err
	}
	if c.Kubeconfig, err = c.writeKubeconfig(pk); err != nil {
		return err
	}
	tr, err := rest.TransportFor(c.Config)
	if err != nil {
		return err
	}
	return p.until(60*time.Second, "readyz", httpOK(&http.Client{Transport: tr}, host+"/readyz"))
}

// writeKubeconfig writes the admin's kubeconfig, for the servers and for
// commands under test.
func (c *Cluster) writeKubeconfig(pk *pki) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubetest"] = &clientcmdapi.Cluster{Server: c.Config.Host, CertificateAuthorityData: pk.caPEM}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: pk.token}
	cfg.Contexts["kubetest"] = &clientcmdapi.Context{Cluster: "kubetest", AuthInfo: "admin"}
	cfg.CurrentContext = "kubetest"
	path := filepath.Join(c.dir, "admin.kubeconfig")
	return path, clientcmd.WriteToFile(*cfg, path)
}

func (c *Cluster) startControllerManager(pk *pki) func(paths) error {
	return func(bins paths) error {
		port, err := freePort()
		if err != nil {
			return err
		}
		p, err := c.spawn("kube-controller-manager", bins.controllerManager,
			"--kubeconfig="+c.Kubeconfig, "--authentication-kubeconfig="+c.Kubeconfig, "--authorization-kubeconfig="+c.Kubeconfig,
			"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(port), "--cert-dir="+filepath.Join(c.dir, "kcm-certs"),
			"--service-account-private-key-file="+pk.SAKey, "--root-ca-file="+pk.CA,
			"--cluster-name=kubetest", "--leader-elect=false", "--controllers=*", "--profiling=false",
			"--pvclaimbinder-sync-period=1s") // binds claims made right after start without a 15s wait
		if err != nil {
			return err
		}
		return p.until(60*time.Second, "healthz", httpOK(insecureClient, "https://127.0.0.1:"+strconv.Itoa(port)+"/healthz"))
	}
}

func (c *Cluster) startScheduler(bins paths) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	p, err := c.spawn("kube-scheduler", bins.scheduler,
		"--kubeconfig="+c.Kubeconfig, "--authentication-kubeconfig="+c.Kubeconfig, "--authorization-kubeconfig="+c.Kubeconfig,
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(port), "--cert-dir="+filepath.Join(c.dir, "sched-certs"),
		"--leader-elect=false", "--profiling=false")
	if err != nil {
		return err
	}
	return p.until(60*time.Second, "healthz", httpOK(insecureClient, "https://127.0.0.1:"+strconv.Itoa(port)+"/healthz"))
}

func (c *Cluster) startKwok(bins paths) error {
	stages, err := c.writeStages(bins.kwokStages)
	if err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := c.spawn("kwok", bins.kwok, "--kubeconfig="+c.Kubeconfig, "--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector="+nodeAnnotation+"=fake",
		"--node-lease-duration-seconds=40", "--cidr=10.244.0.0/16", "--node-ip=10.244.255.1",
		"--server-address="+addr, "--config="+stages)
	if err != nil {
		return err
	}
	return p.until(30*time.Second, "healthz", httpOK(http.DefaultClient, "http://"+addr+"/healthz"))
}

// httpOK returns a probe that is true when url answers 200.
func httpOK(client *http.Client, url string) func(context.Context) bool {
	return func(ctx context.Context) bool {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false
		}
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
}

// Unreachable returns a client configuration for a cluster that is not
// there: a loopback port nothing listens on.
func Unreachable() *rest.Config {
	port, _ := freePort()
	return &rest.Config{Host: "https://127.0.0.1:" + strconv.Itoa(port), Timeout: 2 * time.Second}
}
