// Package shots declares the example model both programs run: the product-shot datasets, a fine-tune on them,
// its latest checkpoint exported, and a deployment of that export.
package shots

import (
	"github.com/modelstudio-lora/modelstudio/sdk/go/modelstudio"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Model is what Declare declares.
type Model struct {
	Train      *modelstudio.Dataset
	Job        *modelstudio.FineTuneJob
	Exported   *modelstudio.CheckpointExport
	Deployment *modelstudio.Deployment
}

var hyperParameters = pulumi.Map{
	"max_steps":        pulumi.Int(800),
	"eval_steps":       pulumi.Int(200),
	"learning_rate":    pulumi.Float64(3.0e-5),
	"max_token_length": pulumi.String("2k"),
	"max_pixels":       pulumi.String("2k"),
	"val_img_size":     pulumi.String("2k"),
	"lora_rank":        pulumi.Int(32),
	"generation_type":  pulumi.String("t2i"),
}

// Export exports the outputs both programs' tests read.
func (m *Model) Export(ctx *pulumi.Context) {
	ctx.Export("jobStatus", m.Job.Status)
	ctx.Export("deployableModel", m.Exported.DeployableModel)
	ctx.Export("deployedModel", m.Deployment.DeployedModel)
	ctx.Export("estimatedCostCny", m.Job.EstimatedCostCny)
}

// Declare declares the model with a training deadline of timeoutMinutes.
func Declare(ctx *pulumi.Context, timeoutMinutes float64) (*Model, error) {
	train, err := modelstudio.NewDataset(ctx, "shots-train", &modelstudio.DatasetArgs{
		Source: pulumi.String("datasets/product-t2i"),
	})
	if err != nil {
		return nil, err
	}
	validation, err := modelstudio.NewDataset(ctx, "shots-val", &modelstudio.DatasetArgs{
		Source: pulumi.String("datasets/product-t2i-val"),
		Role:   pulumi.String("validation"),
	})
	if err != nil {
		return nil, err
	}
	job, err := modelstudio.NewFineTuneJob(ctx, "shots-job", &modelstudio.FineTuneJobArgs{
		Model:             pulumi.String("wan2.7-image-pro"),
		TrainingFileIds:   pulumi.StringArray{train.FileId},
		ValidationFileIds: pulumi.StringArray{validation.FileId},
		TrainingSha256:    pulumi.StringArray{train.Sha256},
		ValidationSha256:  pulumi.StringArray{validation.Sha256},
		HyperParameters:   hyperParameters,
		TimeoutMinutes:    pulumi.Float64(timeoutMinutes),
	})
	if err != nil {
		return nil, err
	}
	exported, err := modelstudio.NewCheckpointExport(ctx, "shots-export", &modelstudio.CheckpointExportArgs{
		JobId:      job.JobId,
		Checkpoint: pulumi.String("latest"),
		JobStatus:  job.Status,
	})
	if err != nil {
		return nil, err
	}
	deployment, err := modelstudio.NewDeployment(ctx, "shots-deploy", &modelstudio.DeploymentArgs{
		ModelName: exported.DeployableModel,
	})
	if err != nil {
		return nil, err
	}
	return &Model{Train: train, Job: job, Exported: exported, Deployment: deployment}, nil
}
