// Train, export and deploy the example model; `e2e:timeoutMinutes` is the training deadline.
import * as pulumi from "@pulumi/pulumi";
import * as modelstudio from "@modelstudio-lora/modelstudio";

const config = new pulumi.Config("e2e");

const train = new modelstudio.Dataset("shots-train", { source: "datasets/product-t2i" });
const validation = new modelstudio.Dataset("shots-val", { source: "datasets/product-t2i-val", role: "validation" });
const job = new modelstudio.FineTuneJob("shots-job", {
    model: "wan2.7-image-pro",
    trainingFileIds: [train.fileId],
    validationFileIds: [validation.fileId],
    trainingSha256: [train.sha256],
    validationSha256: [validation.sha256],
    hyperParameters: {
        max_steps: 800,
        eval_steps: 200,
        learning_rate: 3.0e-5,
        max_token_length: "2k",
        max_pixels: "2k",
        val_img_size: "2k",
        lora_rank: 32,
        generation_type: "t2i",
    },
    timeoutMinutes: config.getNumber("timeoutMinutes") ?? 600,
});
const exported = new modelstudio.CheckpointExport("shots-export", {
    jobId: job.jobId,
    jobStatus: job.status,
});
const deployment = new modelstudio.Deployment("shots-deploy", {
    modelName: exported.deployableModel,
});

export const jobStatus = job.status;
export const deployableModel = exported.deployableModel;
export const deployedModel = deployment.deployedModel;
export const estimatedCostCny = job.estimatedCostCny;
