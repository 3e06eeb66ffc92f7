/** Environment and policy together, for the entry points (`npm start`, `npm run report`). */
import { ConfigError } from "./errors.js";
import { loadEnv, type Env } from "./env.js";
import { loadPolicy } from "./policy-file.js";
import type { Policy } from "../domain/policy.js";

/** The configuration, or null after telling stderr what is wrong (the caller exits 78, EX_CONFIG). */
export function loadConfig(stderr: (text: string) => void): { env: Env; policy: Policy } | null {
  try {
    const env = loadEnv();
    return { env, policy: loadPolicy(env.policyFile) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    stderr(`Configuration error: ${e.message}\n`);
    return null;
  }
}
