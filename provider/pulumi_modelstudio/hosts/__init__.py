"""Processes the Pulumi engine starts for this package (see `pulumi_modelstudio.hosts.dynamic_host`)."""
