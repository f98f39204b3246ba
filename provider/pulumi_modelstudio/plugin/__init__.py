"""The `modelstudio` resource provider plugin (`pulumi-resource-modelstudio`): the package resources of any
Pulumi language, served by the same core as the dynamic resources."""
