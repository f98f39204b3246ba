"""Connection settings: rules, one resolver for stack config and environment, the embedded emulator."""
