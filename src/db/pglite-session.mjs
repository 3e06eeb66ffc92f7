/**
 * One PGlite instance as drizzle-orm/pglite uses it (`query`, `exec`, `transaction`), with a query
 * costing one pass through PGlite's WASM instead of six. Plain JavaScript: the PGlite worker thread
 * (pglite-worker.ts, evaluated source with no TypeScript loader) imports it, and so does the main
 * thread for an instance of its own (the tests'). Types: pglite-session.d.mts.
 *
 * PGlite's `query` sends Parse, then Describe of the statement (for the parameters' types, to choose
 * their serialisers), then Bind, Describe of the portal, Execute and Sync, each as its own call into the
 * WASM with its own parse of the replies. Here the five messages go in one `execProtocolRawSync` and
 * the parameters are sent as text, their types left for PostgreSQL to infer (as PGlite's Parse does:
 * it sends no types either). Every value drizzle binds is a string, number, boolean, Date or null
 * (jsonb goes as its JSON text); anything else (an array, bytes) takes PGlite's own `query`.
 * Measured on an in-memory PGlite, one insert, one primary-key select and one update, warm:
 * 0.25–0.27 ms of CPU a statement through `query`, 0.17–0.18 ms here.
 *
 * PGlite has one session. A transaction holds it from BEGIN to COMMIT/ROLLBACK; a statement outside
 * one waits for it (`lock`), as PGlite's own transaction lock makes it wait.
 */

/**
 * At most this many named statements a session: the bot has a few hundred distinct statements, and
 * each kept costs PostgreSQL's memory (its parse tree and plans) inside PGlite's WASM heap.
 */
const MAX_PREPARED = 500;
/**
 * Statements with more parameters than this are not named: multi-row inserts of a varying number of
 * rows, each count its own text, whose parse is shared by all their rows anyway.
 */
const MAX_PREPARED_PARAMS = 32;

const SIMPLE = new Set(["string", "number", "bigint", "boolean"]);

/** @param {unknown[]} params */
const simpleParams = (params) => params.every((v) => v === null || v === undefined || SIMPLE.has(typeof v) || v instanceof Date);

/** @param {unknown} v */
const asText = (v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

/** @param {Uint8Array[]} parts */
function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * @param {import("@electric-sql/pglite").PGlite} pg a ready instance (`await pg.waitReady`)
 * @param {{ protocol: any, types: any }} lib PGlite's `protocol` and `types` exports
 */
export function pgliteSession(pg, lib) {
  const { serialize, Parser } = lib.protocol;
  const sync = serialize.sync();
  const describePortal = serialize.describe({ type: "P" });
  const execute = serialize.execute({});
  const defaults = lib.types.parsers;
  /**
   * Statements prepared by name, as postgres.js does on PostgreSQL: parsed and analysed once, then
   * only bound and run (PostgreSQL keeps their plans too once a generic plan is as good). drizzle's SQL
   * is the same text each time for a statement of the code; one with a varying number of values (an
   * IN list, a multi-row insert) makes one entry per count, hence the bounds above. The names start again
   * with the session (DEALLOCATE ALL), as a test's pooled instance outlives its session.
   */
  const prepared = new Map();

  /** The session: taken by a transaction until its end, by a statement outside one for its run. */
  /** @type {Promise<unknown> | null} */
  let tail = null;
  const lock = () => {
    tail ??= pg.waitReady.then(() => control("deallocate all")).catch(() => {}); // a failed start shows on the first statement
    /** @type {() => void} */
    let release = () => {};
    const held = new Promise((r) => (release = r));
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  };

  /** @param {string} sql @param {unknown[]} params @param {any} options */
  function run(sql, params, options) {
    if (!simpleParams(params)) return pg.query(sql, params, options);
    const known = prepared.get(sql);
    const naming = known === undefined && prepared.size < MAX_PREPARED && params.length <= MAX_PREPARED_PARAMS ? `s${prepared.size + 1}` : null;
    const parts = known === undefined ? [serialize.parse({ text: sql, name: naming ?? "" })] : [];
    parts.push(serialize.bind({ statement: known ?? naming ?? "", values: params.map(asText) }), describePortal, execute, sync);
    const bytes = pg.execProtocolRawSync(concat(parts));
    /** @type {any[]} */
    const messages = [];
    /** @type {any} */
    let error = null;
    new Parser().parse(bytes, (/** @type {any} */ m) => {
      if (m.name === "error") error ??= m;
      else messages.push(m);
    });
    if (naming && messages.some((m) => m.name === "parseComplete")) prepared.set(sql, naming); // a notice may come first
    if (error) throw error; // a DatabaseError, as PGlite's own query throws (code, detail, constraint…)
    return resultOf(messages, options?.parsers, options?.rowMode === "array");
  }

  /**
   * The replies as PGlite's `parseResults` makes them for one statement (rows parsed by type, the
   * given parsers before PGlite's), without merging the two parser tables for every query.
   * @param {any[]} messages @param {Record<number, (v: string, t: number) => unknown> | undefined} given @param {boolean} asArrays
   */
  function resultOf(messages, given, asArrays) {
    /** @type {{ name: string, dataTypeID: number }[]} */
    let fields = [];
    /** @type {(((v: string, t: number) => unknown) | undefined)[]} */
    let parsers = [];
    /** @type {unknown[]} */
    const rows = [];
    for (const m of messages) {
      if (m.name === "rowDescription") {
        fields = m.fields.map((/** @type {any} */ f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
        parsers = fields.map((f) => given?.[f.dataTypeID] ?? defaults[f.dataTypeID]);
      } else if (m.name === "dataRow") {
        const values = m.fields.map((/** @type {string | null} */ v, /** @type {number} */ i) => {
          const p = parsers[i];
          return v === null || !p ? v : p(v, fields[i].dataTypeID);
        });
        rows.push(asArrays ? values : Object.fromEntries(fields.map((f, i) => [f.name, values[i]])));
      } else if (m.name === "commandComplete") {
        const words = m.text.split(" ");
        const n = parseInt(words[words.length - 1], 10);
        const changed = ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"].includes(words[0]);
        return { rows, fields, command: words[0], affectedRows: changed ? n : 0, ...(Number.isNaN(n) ? {} : { rowCount: n }) };
      }
    }
    return { rows, fields, affectedRows: 0 };
  }

  /** @param {string} sql */
  const simple = (sql) => pg.exec(sql);

  /** @param {string} sql */
  async function control(sql) {
    const bytes = pg.execProtocolRawSync(serialize.query(sql));
    /** @type {any} */
    let error = null;
    new Parser().parse(bytes, (/** @type {any} */ m) => {
      if (m.name === "error") error ??= m;
    });
    if (error) throw error;
  }

  return {
    /** @param {string} sql @param {unknown[]} [params] @param {any} [options] */
    async query(sql, params = [], options = {}) {
      const release = await lock();
      try {
        return await run(sql, params, options);
      } finally {
        release();
        await pg.syncToFs();
      }
    },
    /** @param {string} sql */
    async exec(sql) {
      const release = await lock();
      try {
        return await simple(sql);
      } finally {
        release();
      }
    },
    /** Opens a transaction; its statements go through the returned handle until `end`. */
    async begin() {
      const release = await lock();
      try {
        await control("begin");
      } catch (e) {
        release();
        throw e;
      }
      let open = true;
      return {
        /** @param {string} sql @param {unknown[]} [params] @param {any} [options] */
        query: async (sql, params = [], options = {}) => run(sql, params, options),
        /** @param {string} sql */
        exec: async (sql) => simple(sql),
        /** @param {boolean} commit */
        async end(commit) {
          if (!open) return;
          open = false;
          try {
            await control(commit ? "commit" : "rollback");
          } finally {
            // A failed COMMIT leaves no transaction open in PostgreSQL; make sure of it before letting go.
            if (pg.isInTransaction()) await control("rollback").catch(() => {});
            release();
            await pg.syncToFs();
          }
        },
      };
    },
    /** @template T @param {(tx: any) => Promise<T>} fn @returns {Promise<T>} */
    async transaction(fn) {
      const tx = await this.begin();
      const scoped = { query: tx.query, exec: tx.exec, transaction: () => Promise.reject(new Error("nested PGlite transactions are savepoints: use the drizzle transaction")) };
      let result;
      try {
        result = await fn(scoped);
      } catch (e) {
        await tx.end(false);
        throw e;
      }
      await tx.end(true);
      return result;
    },
    close: () => pg.close(),
    get waitReady() {
      return pg.waitReady;
    },
  };
}
