"""Connection settings, from stack config, command-line options and environment alike.

- `rules`: what makes a region, endpoint, key or workspace unusable (cheap, checked at every preview);
- `config`: `ConnectionConfig`, the one resolver (stack config or options over `DASHSCOPE_*` variables),
  resolved into the `ClientSettings` the transport takes (`pulumi_modelstudio.transport.client_settings`);
- `embedded_emulator`: the local emulator started in the background for the endpoint `emulator`;
- `service_clock`: the service's time (an emulator's simulated speed, learned from `/_emulator/health`);
- `open_client`: a client from a `ConnectionConfig`, for the providers and the CLI.
"""
