// The example model both programs declare: the product-shot datasets, a fine-tune on them, its latest checkpoint
// exported, and a deployment of that export.
import * as modelstudio from "@modelstudio-lora/modelstudio";

const hyperParameters = {
    max_steps: 800,
    eval_steps: 200,
    learning_rate: 3.0e-5,
    max_token_length: "2k",
    max_pixels: "2k",
    val_img_size: "2k",
    lora_rank: 32,
    generation_type: "t2i",
};

/** Declare the model with a training deadline of `timeoutMinutes`; `outputs` are those both programs' tests read. */
export function declareShots(timeoutMinutes: number) {
    const train = new modelstudio.Dataset("shots-train", { source: "datasets/product-t2i" });
    const validation = new modelstudio.Dataset("shots-val", {
        source: "datasets/product-t2i-val",
        role: "validation",
    });
    const job = new modelstudio.FineTuneJob("shots-job", {
        model: "wan2.7-image-pro",
        trainingFileIds: [train.fileId],
        validationFileIds: [validation.fileId],
        trainingSha256: [train.sha256],
        validationSha256: [validation.sha256],
        hyperParameters,
        timeoutMinutes,
    });
    const exported = new modelstudio.CheckpointExport("shots-export", {
        jobId: job.jobId,
        checkpoint: "latest",
        jobStatus: job.status,
    });
    const deployment = new modelstudio.Deployment("shots-deploy", {
        modelName: exported.deployableModel,
    });
    const outputs = {
        jobStatus: job.status,
        deployableModel: exported.deployableModel,
        deployedModel: deployment.deployedModel,
        estimatedCostCny: job.estimatedCostCny,
    };
    return { train, job, deployment, outputs };
}
