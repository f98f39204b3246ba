// Command sdkgen writes the TypeScript and Go SDKs of the modelstudio package from its schema with Pulumi's own
// code generators (pkg/v3/codegen/nodejs and pkg/v3/codegen/go), or with -check reports SDK files that differ.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The generators recorded in the files, as the language hosts name them: `pulumi package gen-sdk --language
// nodejs` with this engine's Node.js host writes the same files.
const (
	nodejsTool = "pulumi-language-nodejs"
	goTool     = "pulumi-language-go"
)

func main() {
	schemaPath := flag.String("schema", "provider/schema.json", "the package schema")
	out := flag.String("out", "sdk", "the SDK folder: nodejs/ and go/ are written below it")
	check := flag.Bool("check", false, "write nothing; list the SDK files that differ from the schema's and exit 1")
	flag.Parse()
	if err := run(*schemaPath, *out, *check); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string, check bool) error {
	sdks, err := generate(schemaPath)
	if err != nil {
		return err
	}
	if check {
		stale, err := differences(out, sdks)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			return fmt.Errorf("the SDKs in %s are out of date with %s:\n  %s\nregenerate them with "+
				"`bash scripts/gen-sdks.sh`", out, schemaPath, strings.Join(stale, "\n  "))
		}
		return nil
	}
	for lang, files := range sdks {
		if err := write(filepath.Join(out, lang), files); err != nil {
			return err
		}
	}
	return nil
}

// generate binds the schema and returns the files of each SDK, keyed by language folder and relative path.
func generate(schemaPath string) (map[string]map[string][]byte, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, fmt.Errorf("reading the schema: %w", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s is not a package schema: %w", schemaPath, err)
	}
	if spec.Version == "" {
		return nil, fmt.Errorf("%s has no version: the SDKs are versioned like the plugin, add `\"version\"`", schemaPath)
	}
	bind := func() (*schema.Package, error) {
		pkg, diags, err := schema.BindSpec(spec, selfContained{}, schema.ValidationOptions{})
		if err != nil {
			return nil, fmt.Errorf("binding %s: %w", schemaPath, err)
		}
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s is not a valid package schema: %s", schemaPath, diags.Error())
		}
		return pkg, nil
	}
	pkg, err := bind()
	if err != nil {
		return nil, err
	}
	if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
		return nil, err
	}
	nodeFiles, err := nodejs.GeneratePackage(nodejsTool, pkg, nil, nil, false, selfContained{})
	if err != nil {
		return nil, fmt.Errorf("generating the TypeScript SDK: %w", err)
	}
	pkg, err = bind() // each generator annotates the package it is given
	if err != nil {
		return nil, err
	}
	goFiles, err := gogen.GeneratePackage(goTool, pkg, nil)
	if err != nil {
		return nil, fmt.Errorf("generating the Go SDK: %w", err)
	}
	return map[string]map[string][]byte{"nodejs": nodeFiles, "go": goFiles}, nil
}

// write replaces the folder's content with files (a removed resource leaves no stale file behind).
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// differences lists the files that are missing, changed or extra under out compared with sdks.
func differences(out string, sdks map[string]map[string][]byte) ([]string, error) {
	var stale []string
	for _, lang := range sortedKeys(sdks) {
		files := sdks[lang]
		dir := filepath.Join(out, lang)
		for _, name := range sortedKeys(files) {
			have, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				stale = append(stale, "missing: "+filepath.Join(dir, name))
			case err != nil:
				return nil, err
			case !bytes.Equal(have, files[name]):
				stale = append(stale, "changed: "+filepath.Join(dir, name))
			}
		}
		err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
			if err != nil || entry.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			if _, ok := files[filepath.ToSlash(rel)]; !ok {
				stale = append(stale, "extra: "+path)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return stale, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
