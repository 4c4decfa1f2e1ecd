// Public entry point `tessera/cloud`: clusters whose workers run on managed clouds (AWS Fargate).
export { FargateCluster, type FargateClusterOptions } from "./fargate-cluster.js";
export { EcsError } from "./ecs-resources.js";
export { checkFargateSize } from "./fargate-options.js";
