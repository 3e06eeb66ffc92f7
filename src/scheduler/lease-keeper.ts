/**
 * Keeps a named lease in the database for this replica: tries to take it every `renewMs`, renews it
 * while held, and says when it was gained or lost. Used for the Discord gateway, which exactly one
 * replica must hold (every connected replica receives every interaction). With a 6 s lease renewed
 * every 2 s, a killed holder's lease runs out within 6 s and another replica takes it at its next try
 * (≤ 2 s later), so the gateway is back within about 8 s plus the login.
 */
import type { Db } from "../db/client.js";
import { acquireLease, releaseLease } from "../db/lease-repo.js";

export interface LeaseKeeperOptions {
  name: string;
  holder: string;
  leaseMs?: number;
  renewMs?: number;
  now?: () => Date;
  onGained: () => Promise<void> | void;
  onLost: () => Promise<void> | void;
  log?: (msg: string) => void;
}

export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private held = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly o: LeaseKeeperOptions,
  ) {}

  get holding(): boolean {
    return this.held;
  }

  start(): void {
    const tick = () => {
      this.busy = this.busy.then(() => this.tick()).catch((e: unknown) => this.o.log?.(`lease ${this.o.name}: ${String(e)}`));
    };
    tick();
    this.timer = setInterval(tick, this.o.renewMs ?? 2_000);
  }

  private async tick(): Promise<void> {
    const now = this.o.now?.() ?? new Date();
    const mine = await acquireLease(this.db, this.o.name, this.o.holder, now, this.o.leaseMs ?? 6_000).catch((e: unknown) => {
      this.o.log?.(`lease ${this.o.name}: ${String(e)}`);
      return false; // the database is unreachable: do not assume we still hold it
    });
    if (mine === this.held) return;
    this.held = mine;
    try {
      await (mine ? this.o.onGained() : this.o.onLost());
    } catch (e) {
      // Gaining failed (e.g. the gateway login): try again at the next tick, the lease still ours.
      if (mine) this.held = false;
      throw e;
    }
  }

  /** Stops renewing; with `release` the lease is given up at once (a clean shutdown). */
  async stop(release = true): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
    if (this.held) {
      this.held = false;
      if (release) await releaseLease(this.db, this.o.name, this.o.holder).catch(() => {});
      await this.o.onLost();
    }
  }
}
