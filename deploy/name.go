package deploy

import (
	"fmt"
	"strings"
)

// maxName keeps "<name>-mongodb-service" within a Service name's 63
// characters; Config.Validate holds APP_NAME to the same bound.
const maxName = 40

// Name returns the app's object name prefix: APP_NAME when set, else the
// module's name made a DNS label (lower case, '_' and other characters
// become '-'). Deploy, status and destroy all derive it the same way.
func Name(cfg Config, module string) (string, error) {
	if cfg.AppName != "" {
		return cfg.AppName, nil
	}
	var b strings.Builder
	for _, r := range strings.ToLower(module) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	n := b.String()
	if len(n) > maxName {
		n = n[:maxName]
	}
	if n = strings.Trim(n, "-"); n == "" {
		return "", fmt.Errorf("deploy: module %q makes no app name; set APP_NAME (plugins.scale.kubernetes.app_name)", module)
	}
	return n, nil
}
