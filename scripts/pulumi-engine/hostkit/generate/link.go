package generate

import (
	"context"
	"errors"
	"fmt"

	"github.com/blang/semver"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// LinkedPackages loads the schemas of the packages a Link request adds to a program (`pulumi package add` of a
// local SDK), in the request's order.
func LinkedPackages(ctx context.Context, req *pulumirpc.LinkRequest) ([]*schema.Package, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	packages := make([]*schema.Package, 0, len(req.Packages))
	for _, dep := range req.Packages {
		pkg, err := loadDependency(ctx, loader, dep.Package)
		if err != nil {
			return nil, err
		}
		packages = append(packages, pkg)
	}
	return packages, nil
}

func loadDependency(
	ctx context.Context, loader *schema.LoaderClient, dep *pulumirpc.PackageDependency,
) (*schema.Package, error) {
	if dep == nil {
		return nil, errors.New("link request without a package")
	}
	descriptor := &schema.PackageDescriptor{Name: dep.Name, DownloadURL: dep.Server}
	if dep.Version != "" {
		v, err := parseVersion(dep.Version)
		if err != nil {
			return nil, err
		}
		descriptor.Version = v
	}
	if pz := dep.Parameterization; pz != nil {
		v, err := parseVersion(pz.Version)
		if err != nil {
			return nil, err
		}
		descriptor.Parameterization = &schema.ParameterizationDescriptor{Name: pz.Name, Version: *v, Value: pz.Value}
	}
	pkg, err := loader.LoadPackageV2(ctx, descriptor)
	if err != nil {
		return nil, fmt.Errorf("loading the schema of %s: %w", dep.Name, err)
	}
	return pkg, nil
}

func parseVersion(v string) (*semver.Version, error) {
	parsed, err := semver.ParseTolerant(v)
	if err != nil {
		return nil, fmt.Errorf("package version %q is not a semantic version: %w", v, err)
	}
	return &parsed, nil
}
