// Command sdk-go-project trains, exports and deploys the example model; `e2e:timeoutMinutes` is the training
// deadline.
package main

import (
	"github.com/modelstudio-lora/modelstudio/sdk/go/modelstudio"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		timeout := config.New(ctx, "e2e").GetFloat64("timeoutMinutes")
		if timeout == 0 {
			timeout = 600
		}
		train, err := modelstudio.NewDataset(ctx, "shots-train", &modelstudio.DatasetArgs{
			Source: pulumi.String("datasets/product-t2i"),
		})
		if err != nil {
			return err
		}
		validation, err := modelstudio.NewDataset(ctx, "shots-val", &modelstudio.DatasetArgs{
			Source: pulumi.String("datasets/product-t2i-val"),
			Role:   pulumi.String("validation"),
		})
		if err != nil {
			return err
		}
		job, err := modelstudio.NewFineTuneJob(ctx, "shots-job", &modelstudio.FineTuneJobArgs{
			Model:             pulumi.String("wan2.7-image-pro"),
			TrainingFileIds:   pulumi.StringArray{train.FileId},
			ValidationFileIds: pulumi.StringArray{validation.FileId},
			TrainingSha256:    pulumi.StringArray{train.Sha256},
			ValidationSha256:  pulumi.StringArray{validation.Sha256},
			HyperParameters: pulumi.Map{
				"max_steps":        pulumi.Int(800),
				"eval_steps":       pulumi.Int(200),
				"learning_rate":    pulumi.Float64(3.0e-5),
				"max_token_length": pulumi.String("2k"),
				"max_pixels":       pulumi.String("2k"),
				"val_img_size":     pulumi.String("2k"),
				"lora_rank":        pulumi.Int(32),
				"generation_type":  pulumi.String("t2i"),
			},
			TimeoutMinutes: pulumi.Float64(timeout),
		})
		if err != nil {
			return err
		}
		exported, err := modelstudio.NewCheckpointExport(ctx, "shots-export", &modelstudio.CheckpointExportArgs{
			JobId:     job.JobId,
			JobStatus: job.Status,
		})
		if err != nil {
			return err
		}
		deployment, err := modelstudio.NewDeployment(ctx, "shots-deploy", &modelstudio.DeploymentArgs{
			ModelName: exported.DeployableModel,
		})
		if err != nil {
			return err
		}
		ctx.Export("jobStatus", job.Status)
		ctx.Export("deployableModel", exported.DeployableModel)
		ctx.Export("deployedModel", deployment.DeployedModel)
		ctx.Export("estimatedCostCny", job.EstimatedCostCny)
		return nil
	})
}
