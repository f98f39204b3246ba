"""Processes the Pulumi engine starts for a program that uses this package, and what each one runs.

    pulumi (engine) ──► language host ──► program
    │                   pulumi-language-python          python stacks/__main__.py: declares LoraModel,
    │                   (official, or scripts/          Dataset, FineTuneJob ...; each resource pickles its
    │                   pulumi-engine/langhost)         provider into state (no API call, no key)
    │
    ├─────────────────► provider host ──► providers
    │                   pulumi-resource-pulumi-python   DatasetProvider, FineTuneJobProvider, ... unpickled
    │                   = hosts.provider_host           from state; check/diff/create/read/update/delete
    │                   (scripts/hosts/, named in       call the API with the key from stack config
    │                   Pulumi.yaml)
    │
    └─────────────────► package provider plugin ──► the same providers, for `modelstudio:index:*`
                        pulumi-resource-modelstudio     resources of any language
                        = pulumi_modelstudio.plugin

- `provider_host`: the process (`main`), which loads `_server` with the garbage collector paused;
- `_server`: the gRPC server, 128 workers, Ctrl-C and engine-gone handling;
- `_servicer`: its gRPC methods (Cancel ends every wait; progress and warnings attached to the resource);
- `_import_read`: reads of resources being imported, with the provider registered for their type;
- `engine_log`: progress lines and warnings sent to the engine, attached to the resource (this host and the
  package plugin, `pulumi_modelstudio.plugin`, both use it).

A project gets this host through `plugins.providers` in Pulumi.yaml (this repository's `path: scripts/hosts`, a
launcher that runs `python -m pulumi_modelstudio.hosts.provider_host` with the project's .venv). Without that
entry the engine runs its own `pulumi-resource-pulumi-python` (the official one, or the same-named script the
engine build bundles, which runs the SDK's `python -m pulumi.dynamic`): resources work, imports and the
interrupt handling above do not.
"""
