/** Test helpers: a model policy as the Gateway the replay, diff and fuzz cores take. */
import { gatewayFactory, type GatewayFactory } from "../src/gateway/create.js";
import type { LoadedPolicy } from "../src/gateway/types.js";
import type { WindowAlgorithm } from "../src/engine/types.js";
import type { Policy } from "../src/policy/model.js";

export function loadedModel(policy: Policy): LoadedPolicy {
  return { engine: "model", file: policy.file, model: policy };
}

export function gatewaysOf(policy: Policy, window: WindowAlgorithm = "fixed"): GatewayFactory {
  return gatewayFactory(loadedModel(policy), { window });
}
