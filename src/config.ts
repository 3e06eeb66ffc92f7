/**
 * Configuration: secrets and endpoints from the environment (`loadEnv`, see `.env.example`), the
 * process policy from a YAML / JSON file merged over `DEFAULT_POLICY` (`loadPolicy`, `parsePolicy`).
 * Both throw `ConfigError` with one sentence per problem, naming the variable or key path.
 * The implementation lives in `src/config/`.
 */
export { ConfigError } from "./config/errors.js";
export { loadEnv, LOG_LEVELS, ENV_VARS, type Env, type LogLevel, type SlackEnv, type DiscordEnv } from "./config/env.js";
export { parsePolicy, loadPolicy } from "./config/policy-file.js";
export { loadConfig } from "./config/load.js";
export {
  policySchema,
  policyOverrideSchema,
  matrixSchema,
  slaTargetSchema,
  businessCalendarSchema,
  type PolicyOverride,
} from "./config/policy-schema.js";
