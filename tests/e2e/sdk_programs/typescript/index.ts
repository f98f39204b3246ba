// Train, export and deploy the example model; `e2e:timeoutMinutes` is the training deadline.
import * as pulumi from "@pulumi/pulumi";
import { declareShots } from "./shots";

const timeoutMinutes = new pulumi.Config("e2e").getNumber("timeoutMinutes") ?? 600;

export const { jobStatus, deployableModel, deployedModel, estimatedCostCny } = declareShots(timeoutMinutes).outputs;
