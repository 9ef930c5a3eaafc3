package main

import "io"

// runStatus, runScaleReplicas and runDestroy parse their command line and
// hand it to jac-deploy (runDeploy does the same for jac start --scale).
func runStatus(args []string, stdout, stderr io.Writer) error {
	return runDeployCommand("status", "Shows the deployed app's workloads, pods and URL. APP is its folder, module or name.",
		args, stdout, stderr, "APP")
}

func runScaleReplicas(args []string, stdout, stderr io.Writer) error {
	return runDeployCommand("scale", "Sets the deployed app's replicas and waits until they are ready; the next deploy\n"+
		"sets K8s_REPLICAS again. APP is its folder, module or name.", args, stdout, stderr, "APP", "REPLICAS")
}

func runDestroy(args []string, stdout, stderr io.Writer) error {
	return runDeployCommand("destroy", "Removes the deployed app. The databases' volumes and credentials stay for the next deploy\n"+
		"unless --purge is given. APP is its folder, module or name.", args, stdout, stderr, "APP")
}

func runDeployCommand(command, about string, args []string, stdout, stderr io.Writer, names ...string) error {
	var f deployFlags
	pos, err := f.parse(command, about, args, stderr, names...)
	if err != nil {
		return err
	}
	env, err := f.env(command, pos[0])
	if err != nil {
		return err
	}
	return runScaleTool(env, stdout, stderr, append([]string{command}, pos...)...)
}
