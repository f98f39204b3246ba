// The example model declared with the TypeScript SDK, run as an Automation API inline program.
// Usage: node lifecycle.js up|update|state|destroy
// Reads MODELSTUDIO_E2E_WORKDIR (project folder with datasets/), MODELSTUDIO_E2E_STACK, MODELSTUDIO_E2E_ENDPOINT
// and MODELSTUDIO_E2E_API_KEY; the backend and passphrase come from PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE.
// Prints one JSON document on stdout.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as modelstudio from "@modelstudio-lora/modelstudio";
import { declareShots } from "./shots";

function program(timeoutMinutes: number) {
    return async () => {
        const { train, job, deployment, outputs } = declareShots(timeoutMinutes);
        const component = new modelstudio.LoraModel("sketches", {
            model: "wan2.7-image",
            trainingData: "datasets/sketch-i2i",
            generationType: "i2i",
            hyperParameters: { max_steps: 200, max_token_length: "1k" },
            deploy: false,
            timeoutMinutes,
        });
        return {
            ...outputs,
            trainingFileId: train.fileId,
            jobId: job.jobId,
            deploymentStatus: deployment.status,
            componentJobId: component.jobId,
            componentStatus: component.trainingStatus,
            componentModel: component.deployableModel,
        };
    };
}

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set`);
    }
    return value;
}

async function main(step: string): Promise<unknown> {
    const stack = await LocalWorkspace.createOrSelectStack(
        {
            projectName: "sdk-typescript",
            stackName: required("MODELSTUDIO_E2E_STACK"),
            program: program(step === "update" ? 720 : 600),
        },
        {
            workDir: required("MODELSTUDIO_E2E_WORKDIR"),
            projectSettings: { name: "sdk-typescript", runtime: "nodejs" },
        },
    );
    await stack.setAllConfig({
        "modelstudio:apiKey": { value: required("MODELSTUDIO_E2E_API_KEY"), secret: true },
        "modelstudio:endpoint": { value: required("MODELSTUDIO_E2E_ENDPOINT") },
    });
    switch (step) {
        case "up":
        case "update": {
            const result = await stack.up({ onOutput: (line) => process.stderr.write(line) });
            const outputs: Record<string, unknown> = {};
            for (const [key, output] of Object.entries(result.outputs)) {
                outputs[key] = output.value;
            }
            return { changes: result.summary.resourceChanges, outputs };
        }
        case "state":
            return await stack.exportStack();
        case "destroy": {
            const result = await stack.destroy({ onOutput: (line) => process.stderr.write(line) });
            await stack.workspace.removeStack(stack.name);
            return { changes: result.summary.resourceChanges };
        }
        default:
            throw new Error(`unknown step ${step}: use up, update, state or destroy`);
    }
}

main(process.argv[2] ?? "").then(
    (result) => process.stdout.write(JSON.stringify(result) + "\n"),
    (err) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
