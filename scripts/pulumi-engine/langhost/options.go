package main

import (
	"fmt"
	"sort"
	"strings"

	"modelstudio.local/hostkit"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

var toolchains = map[string]toolchain.PythonOptions{
	"pip":    {Toolchain: toolchain.Pip},
	"poetry": {Toolchain: toolchain.Poetry},
	"uv":     {Toolchain: toolchain.Uv},
}

var typecheckers = map[string]toolchain.PythonOptions{
	"mypy":    {Typechecker: toolchain.TypeCheckerMypy},
	"pyright": {Typechecker: toolchain.TypeCheckerPyright},
}

// pythonOptions reads the `runtime.options` of Pulumi.yaml (virtualenv, toolchain, typechecker).
func pythonOptions(info *pulumirpc.ProgramInfo) (toolchain.PythonOptions, error) {
	if info == nil {
		return toolchain.PythonOptions{}, hostkit.ErrNoInfo
	}
	opts := toolchain.PythonOptions{Root: info.RootDirectory, ProgramDir: info.ProgramDirectory}
	raw := map[string]any{}
	if info.Options != nil {
		raw = info.Options.AsMap()
	}
	if v, ok := raw["virtualenv"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, fmt.Errorf("Pulumi.yaml runtime option 'virtualenv' must be a string (a path such as venv), got %v", v)
		}
		opts.Virtualenv = s
	}
	if v, ok := raw["toolchain"]; ok {
		chosen, err := pick("toolchain", v, toolchains)
		if err != nil {
			return opts, err
		}
		opts.Toolchain = chosen.Toolchain
	}
	if v, ok := raw["typechecker"]; ok {
		chosen, err := pick("typechecker", v, typecheckers)
		if err != nil {
			return opts, err
		}
		opts.Typechecker = chosen.Typechecker
	}
	return opts, nil
}

func pick(option string, value any, choices map[string]toolchain.PythonOptions) (toolchain.PythonOptions, error) {
	names := make([]string, 0, len(choices))
	for name := range choices {
		names = append(names, name)
	}
	sort.Strings(names)
	s, ok := value.(string)
	chosen, known := choices[s]
	if !ok || !known {
		return toolchain.PythonOptions{}, fmt.Errorf(
			"Pulumi.yaml runtime option '%s' is %v; use one of: %s", option, value, strings.Join(names, ", "))
	}
	return chosen, nil
}

// resolve returns the toolchain (pip, poetry or uv) that manages the program's virtual environment.
func resolve(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, toolchain.PythonOptions, error) {
	opts, err := pythonOptions(info)
	if err != nil {
		return nil, opts, err
	}
	tc, err := toolchain.ResolveToolchain(opts)
	return tc, opts, err
}
