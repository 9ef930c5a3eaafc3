package kubetest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NodeName is the fake node every pod runs on.
const NodeName = "kwok-node-0"

// nodeAnnotation marks the nodes kwok manages.
const nodeAnnotation = "kwok.x-k8s.io/node"

// Volumes is how many persistent volumes the cluster starts with, each
// VolumeSize, without a storage class; a claim binds one for good.
const Volumes = 16

// VolumeSize is the size of each volume.
const VolumeSize = "10Gi"

//go:embed testdata/stages.yaml
var ownStages []byte

// writeStages puts kwok's stages and this package's in one file.
func (c *Cluster) writeStages(kwokStages string) (string, error) {
	b, err := os.ReadFile(kwokStages)
	if err != nil {
		return "", fmt.Errorf("kubetest: %w", err)
	}
	path := filepath.Join(c.dir, "stages.yaml")
	return path, os.WriteFile(path, append(append(b, "\n---\n"...), ownStages...), 0o600)
}

// seed adds the fake node, waits until kwok reports it Ready, and adds the
// volumes.
func (c *Cluster) seed() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        NodeName,
			Annotations: map[string]string{nodeAnnotation: "fake"},
			Labels:      map[string]string{"type": "kwok", "kubernetes.io/hostname": NodeName, "kubernetes.io/os": "linux"},
		},
		Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
	}
	if _, err := c.Client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("kubetest: create node: %w", err)
	}
	for !c.nodeReady(ctx) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("kubetest: node %s not Ready after 30s", NodeName)
		case <-time.After(100 * time.Millisecond):
		}
	}
	for i := range Volumes {
		pv := &corev1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: "pv-" + strconv.Itoa(i)},
			Spec: corev1.PersistentVolumeSpec{
				Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(VolumeSize)},
				AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
				PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
					Path: filepath.Join(c.dir, "volumes", strconv.Itoa(i))}},
			},
		}
		if _, err := c.Client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("kubetest: create volume: %w", err)
		}
	}
	return nil
}

func (c *Cluster) nodeReady(ctx context.Context) bool {
	n, err := c.Client.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{})
	if err != nil {
		return false
	}
	for _, cond := range n.Status.Conditions {
		if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}
