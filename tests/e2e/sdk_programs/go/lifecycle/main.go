// Command lifecycle declares the example model with the Go SDK and runs it as an Automation API inline program.
//
// Usage: lifecycle up|update|state|destroy. It reads MODELSTUDIO_E2E_WORKDIR (project folder with datasets/),
// MODELSTUDIO_E2E_STACK, MODELSTUDIO_E2E_ENDPOINT and MODELSTUDIO_E2E_API_KEY; the backend and passphrase come
// from PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE. It prints one JSON document on stdout.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/modelstudio-lora/modelstudio/sdk/go/modelstudio"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"modelstudio.local/sdk-e2e-go/shots"
)

func program(timeoutMinutes float64) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		model, err := shots.Declare(ctx, timeoutMinutes)
		if err != nil {
			return err
		}
		component, err := modelstudio.NewLoraModel(ctx, "sketches", &modelstudio.LoraModelArgs{
			Model:           pulumi.String("wan2.7-image"),
			TrainingData:    pulumi.String("datasets/sketch-i2i"),
			GenerationType:  pulumi.String("i2i"),
			HyperParameters: pulumi.Map{"max_steps": pulumi.Int(200), "max_token_length": pulumi.String("1k")},
			Deploy:          pulumi.Bool(false),
			TimeoutMinutes:  pulumi.Float64(timeoutMinutes),
		})
		if err != nil {
			return err
		}
		model.Export(ctx)
		ctx.Export("trainingFileId", model.Train.FileId)
		ctx.Export("jobId", model.Job.JobId)
		ctx.Export("deploymentStatus", model.Deployment.Status)
		ctx.Export("componentJobId", component.JobId)
		ctx.Export("componentStatus", component.TrainingStatus)
		ctx.Export("componentModel", component.DeployableModel)
		return nil
	}
}

func required(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fmt.Fprintf(os.Stderr, "%s is not set\n", name)
		os.Exit(2)
	}
	return value
}

func run(ctx context.Context, step string) (any, error) {
	timeout := 600.0
	if step == "update" {
		timeout = 720
	}
	project := workspace.Project{Name: "sdk-go", Runtime: workspace.NewProjectRuntimeInfo("go", nil)}
	stack, err := auto.UpsertStackInlineSource(ctx, required("MODELSTUDIO_E2E_STACK"), "sdk-go", program(timeout),
		auto.WorkDir(required("MODELSTUDIO_E2E_WORKDIR")), auto.Project(project))
	if err != nil {
		return nil, err
	}
	err = stack.SetAllConfig(ctx, auto.ConfigMap{
		"modelstudio:apiKey":   {Value: required("MODELSTUDIO_E2E_API_KEY"), Secret: true},
		"modelstudio:endpoint": {Value: required("MODELSTUDIO_E2E_ENDPOINT")},
	})
	if err != nil {
		return nil, err
	}
	switch step {
	case "up", "update":
		result, err := stack.Up(ctx, optup.ErrorProgressStreams(os.Stderr), optup.ProgressStreams(os.Stderr))
		if err != nil {
			return nil, err
		}
		outputs := map[string]any{}
		for key, output := range result.Outputs {
			outputs[key] = output.Value
		}
		return map[string]any{"changes": result.Summary.ResourceChanges, "outputs": outputs}, nil
	case "state":
		return stack.Export(ctx)
	case "destroy":
		result, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return nil, err
		}
		if err := stack.Workspace().RemoveStack(ctx, stack.Name()); err != nil {
			return nil, err
		}
		return map[string]any{"changes": result.Summary.ResourceChanges}, nil
	default:
		return nil, fmt.Errorf("unknown step %q: use up, update, state or destroy", step)
	}
}

func main() {
	step := ""
	if len(os.Args) > 1 {
		step = os.Args[1]
	}
	result, err := run(context.Background(), step)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
