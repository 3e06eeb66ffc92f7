/**
 * Embedded PGlite on a worker thread. PGlite is PostgreSQL compiled to WASM: every query runs
 * synchronously on the thread that owns it, so on the main thread each query blocks Bolt's HTTP
 * server, and under a burst acks queue behind other requests' database work. Here a worker thread
 * owns the PGlite instance and the main thread holds a small client with the part of PGlite's API that
 * drizzle-orm/pglite calls (`query`, `exec`, `transaction`), passing messages.
 *
 * Chosen over PGlite's socket server (@electric-sql/pglite-socket) in a worker with postgres.js as the
 * one driver: that package pins its PGlite peer to an exact older version (0.5.14 against our 0.5.16)
 * and pulls eight extension peers, and adds the wire protocol and a loopback socket per query. A
 * message costs ~0.05 ms each way; PGlite's own work is 0.3–3 ms per statement.
 *
 * Measured with `BENCH_MAIN_THREAD=1 npm run bench` (PGlite on files, Slack over loopback, 2 cores
 * shared with other work at load average ~16; ratios to a bare Bolt App in the same run):
 *
 *                                        main thread            worker thread
 *   ack one at a time, p50 / p99         36 / 194 ms (12×/10×)   8.4 / 65 ms (2.8×/3.5×)
 *   100 P1 declares at once, ack p99     6.2 s (12×), 49 > 3 s   0.52 s (1.03×), none > 3 s
 *   event-loop delay p99 in the burst    504 ms                 25 ms
 *   war rooms ready within 25 s          64 / 100               100 / 100 (last at 17 s)
 *
 * A statement of 0.7 s gives the main thread 0 turns of its event loop in-process, >100,000 here.
 *
 * Semantics are PGlite's own, kept in the worker by pglite-session.mjs (which also makes a query one
 * pass through the WASM): one session; a transaction holds it (other queries wait for its end, as with
 * PGlite's own transaction lock); results are parsed in the worker with the parsers drizzle gives
 * PGlite (timestamps, dates and intervals left as text).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

type Row = Record<string, unknown> | unknown[];
export interface QueryResult {
  rows: Row[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}
interface QueryOptions {
  rowMode?: "object" | "array";
}
/** What drizzle-orm/pglite calls on a client and on a transaction. */
export interface PgliteLike {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult>;
  exec(sql: string): Promise<QueryResult[]>;
  transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T>;
}

/**
 * The worker's source. Plain JavaScript run with `eval: true`, so it loads the same way under
 * `node --import tsx`, vitest and the compiled build (no loader to inherit); it `require`s PGlite
 * from the path the main thread resolved.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite, types } = require(workerData.pglitePath);
// The parsers drizzle-orm/pglite passes: timestamps, dates, intervals and their arrays stay text.
const keep = (v) => v;
const parsers = { [types.TIMESTAMP]: keep, [types.TIMESTAMPTZ]: keep, [types.INTERVAL]: keep, [types.DATE]: keep, 1231: keep, 1115: keep, 1185: keep, 1187: keep, 1182: keep };
// shared_buffers: PostgreSQL's 128 MB default is zeroed at start-up inside PGlite's WASM memory, so
// all of it is resident. Measured on existing data (node + PGlite, idle): 312 MB RSS at 128 MB, 170 MB
// at 16 MB or 8 MB. The bot's working set is a few MB; reads past the buffers come from the OS cache.
const startParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=" + workerData.sharedBuffers];
// A new data directory starts from the seed (a migrated dump, gzipped) when one is given: see seed.ts.
const seed = workerData.seedFile ? require("node:zlib").gunzipSync(require("node:fs").readFileSync(workerData.seedFile)) : workerData.loadDataDir;
const options = seed ? { loadDataDir: new Blob([seed]), startParams } : { startParams };
const db = workerData.dataDir ? new PGlite(workerData.dataDir, options) : new PGlite(options);
const txs = new Map();
const errorOf = (e) => {
  const out = { message: e && e.message ? e.message : String(e) };
  for (const k of ["name", "code", "detail", "hint", "position", "schema", "table", "column", "dataType", "constraint", "severity", "where"]) if (e && e[k] !== undefined) out[k] = e[k];
  return out;
};
// One pass through the WASM a query, and the session's lock: see pglite-session.mjs.
const session = import(workerData.sessionUrl).then(({ pgliteSession }) => pgliteSession(db, require(workerData.pglitePath)));
const opening = new Map();
async function handle(m) {
  const s = await session;
  // A transaction begins with its first statement (one message less per transaction); statements the
  // callback sends alongside it (Promise.all) wait for that begin.
  if (m.begin) {
    const begun = s.begin();
    opening.set(m.tx, begun);
    try {
      txs.set(m.tx, await begun);
    } finally {
      opening.delete(m.tx);
    }
  } else if (m.tx && opening.has(m.tx)) {
    await opening.get(m.tx).catch(() => {});
  }
  const on = m.tx ? txs.get(m.tx) : s;
  switch (m.op) {
    case "query": {
      const r = await on.query(m.sql, m.params, { rowMode: m.rowMode, parsers });
      return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
    }
    case "exec": {
      const rs = await on.exec(m.sql);
      return rs.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    }
    case "end": {
      const t = txs.get(m.tx);
      if (!t) return null; // no statement ran: nothing was begun
      txs.delete(m.tx);
      await t.end(m.commit);
      return null;
    }
    case "ready":
      await db.waitReady;
      return null;
    case "close":
      await db.close();
      return null;
  }
  throw new Error("unknown op " + m.op);
}
parentPort.on("message", (m) => {
  handle(m).then((value) => parentPort.postMessage({ id: m.id, value }), (e) => parentPort.postMessage({ id: m.id, error: errorOf(e) }));
});
`;

/** PGlite's shared_buffers (see the worker's source for the measured RSS). */
export const PGLITE_SHARED_BUFFERS = "16MB";

/** PGlite's start parameters with the bot's shared_buffers: pass `PGlite.defaultStartParams`. */
export const pgliteStartParams = (defaults: readonly string[]): string[] => [...defaults, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

class RemoteError extends Error {
  constructor(fields: Record<string, unknown>) {
    super(String(fields.message));
    const { message: _m, name, ...rest } = fields;
    if (typeof name === "string") this.name = name;
    Object.assign(this, rest);
  }
}

/**
 * The main thread's side. `begin`/`end` keep the worker's transaction open across the callback, so a
 * transaction callback may interleave other (non-database) awaits as with PGlite itself.
 */
export class PgliteThread implements PgliteLike {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private next = 0;
  private nextTx = 0;
  private closed: Promise<void> | null = null;

  /** `loadDataDir`: a dump (`dumpDataDir`) to start from, as PGlite's own option; tests use it. */
  /** `loadDataDir`: a tar to start a new directory from; `seedFile`: the same, gzipped, read by the worker. */
  constructor(dataDir?: string, opts: { loadDataDir?: Uint8Array; seedFile?: string } = {}) {
    const pglitePath = createRequire(import.meta.url).resolve("@electric-sql/pglite");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglitePath, sessionUrl: new URL("./pglite-session.mjs", import.meta.url).href, dataDir, loadDataDir: opts.loadDataDir, seedFile: opts.seedFile, sharedBuffers: PGLITE_SHARED_BUFFERS } });
    this.worker.on("message", (m: { id: number; value?: unknown; error?: Record<string, unknown> }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new RemoteError(m.error));
      else p.resolve(m.value);
    });
    this.worker.on("error", (e) => this.failAll(e));
    this.worker.on("exit", (code) => this.failAll(new Error(`PGlite worker exited (${code})`)));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("PGlite is closed"));
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  /** Resolves when the database files are open (initdb on a fresh directory). */
  get waitReady(): Promise<void> {
    return this.call<void>({ op: "ready" });
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    return this.call({ op: "query", sql, params, rowMode: options.rowMode ?? "object" });
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.call({ op: "exec", sql });
  }

  /**
   * BEGIN travels with the transaction's first statement rather than as a message of its own: a
   * P1's declare and war room take 35 transactions and 185 messages, and PGlite's one session waits
   * idle for each message while a transaction is open, so every message saved is latency saved.
   */
  async transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T> {
    const tx = ++this.nextTx;
    let first = true;
    const opening = () => (first ? ((first = false), true) : false);
    const scoped: PgliteLike = {
      query: (sql, params = [], options = {}) => this.call({ op: "query", tx, begin: opening(), sql, params, rowMode: options.rowMode ?? "object" }),
      exec: (sql) => this.call({ op: "exec", tx, begin: opening(), sql }),
      transaction: () => Promise.reject(new Error("nested PGlite transactions are savepoints: use the drizzle transaction")),
    };
    let result: T;
    try {
      result = await fn(scoped);
    } catch (e) {
      await this.call({ op: "end", tx, commit: false });
      throw e;
    }
    await this.call({ op: "end", tx, commit: true });
    return result;
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const id = ++this.next;
      await new Promise<void>((resolve) => {
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
        this.worker.postMessage({ op: "close", id });
      });
      await this.worker.terminate();
    })();
    return this.closed;
  }
}
