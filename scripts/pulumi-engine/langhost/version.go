package main

import (
	"fmt"
	"regexp"
	"strings"
)

// pep440 matches the subset of PEP 440 versions that map onto plugin (semver) versions:
// N(.N)*[{a|b|rc}N][.postN][.devN].
var pep440 = regexp.MustCompile(`^(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?$`)

var preReleaseNames = map[string]string{"a": "alpha", "b": "beta", "rc": "rc"}

// pluginVersion turns a Python package version into the version of its resource plugin,
// e.g. 1.2 -> 1.2.0, 1.2.3a4 -> 1.2.3-alpha.4, 1.2.3.post4.dev5 -> 1.2.3+post4dev5.
func pluginVersion(packageVersion string) (string, error) {
	m := pep440.FindStringSubmatch(packageVersion)
	if m == nil {
		return "", fmt.Errorf("version %q has no plugin-version equivalent", packageVersion)
	}
	segments := strings.Split(m[1], ".")
	for len(segments) < 3 {
		segments = append(segments, "0")
	}
	v := strings.Join(segments, ".")
	if m[2] != "" {
		v += "-" + preReleaseNames[m[2]] + "." + m[3]
	}
	var build string
	if m[4] != "" {
		build += "post" + m[4]
	}
	if m[5] != "" {
		build += "dev" + m[5]
	}
	if build != "" {
		v += "+" + build
	}
	return v, nil
}
