package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/walkerhost/walkerhost/deploy"
)

func runStatus(pos []string, stdout io.Writer) error {
	target, a, err := app(pos[0])
	if err != nil {
		return err
	}
	st, err := target.Status(context.Background(), a)
	if err != nil {
		return err
	}
	if !st.Deployed {
		return fmt.Errorf("%w: %s in namespace %s", deploy.ErrNotDeployed, st.Name, st.Namespace)
	}
	printStatus(stdout, st)
	return nil
}

func printStatus(w io.Writer, st deploy.Status) {
	fmt.Fprintf(w, "%s in namespace %s\n  url   %s\n  image %s\n\n", st.Name, st.Namespace, st.URL, st.Image)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPONENT\tKIND\tREADY\tUPDATED")
	for _, c := range st.Components {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\n", c.Name, c.Kind, c.Ready, c.Desired, c.Updated)
	}
	fmt.Fprintln(tw, "\t\t\t")
	fmt.Fprintln(tw, "POD\tCOMPONENT\tPHASE\tREADY\tRESTARTS\tREASON")
	for _, p := range st.Pods {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%d\t%s\n", p.Name, p.Component, p.Phase, p.Ready, p.Restarts, p.Reason)
	}
	tw.Flush()
}
