/** Processed request keys: the first handling of a Slack retry / double click wins, the rest change nothing. */
import type { RequestRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { processedRequests } from "./schema.js";

export class DrizzleRequestRepo implements RequestRepo {
  constructor(private readonly tx: Executor) {}

  async claim(key: string, at: Date): Promise<boolean> {
    const rows = await this.tx
      .insert(processedRequests)
      .values({ key, createdAt: at })
      .onConflictDoNothing()
      .returning({ key: processedRequests.key });
    return rows.length === 1;
  }
}
