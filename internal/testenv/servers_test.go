package testenv

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// redisPing sends PING over the wire and returns the reply line.
func redisPing(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(line)
}

func TestStartRedis_Restart(t *testing.T) {
	s := StartRedis(t)
	if got := redisPing(t, s.Addr); got != "+PONG" {
		t.Fatalf("PING = %q, want +PONG", got)
	}
	s.Stop()
	if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("stopped server still accepts connections")
	}
	s.Restart(t)
	if got := redisPing(t, s.Addr); got != "+PONG" {
		t.Fatalf("PING after restart = %q, want +PONG", got)
	}
	if !strings.HasPrefix(s.URL, "redis://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL)
	}
}

func TestStartMongo_Listens(t *testing.T) {
	s := StartMongo(t)
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if !strings.HasPrefix(s.URL, "mongodb://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL)
	}
}
