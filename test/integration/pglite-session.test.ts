/**
 * The PGlite session every embedded database goes through (src/db/pglite-session.mjs: one pass through
 * the WASM a query, statements prepared by name): results as PGlite's own `query` gives them, a
 * statement prepared once and run again, a notice before the parse, an error that keeps its SQLSTATE
 * and leaves the session usable, arrays through PGlite's own path, and a statement outside a
 * transaction waiting for that transaction's end.
 */
import { readFileSync } from "node:fs";
import { PGlite, protocol, types } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pgliteSession, type PgliteSession } from "../../src/db/pglite-session.mjs";

describe("the PGlite session", () => {
  let pg!: PGlite;
  let s!: PgliteSession;
  beforeAll(async () => {
    pg = new PGlite({ loadDataDir: new Blob([readFileSync(inject("pgliteDump"))]) });
    s = pgliteSession(pg, { protocol, types });
    await s.exec("create table t (id serial primary key, name text not null unique, at timestamptz, n int, ok boolean, data jsonb)");
  });
  afterAll(() => pg.close());

  it("returns what PGlite's own query returns, with the parsers given first", async () => {
    const keep = { [types.TIMESTAMPTZ]: (v: string) => v };
    const insert = "insert into t (name, at, n, ok, data) values ($1, $2, $3, $4, $5) returning id, name, at, n, ok, data";
    const at = new Date("2026-12-06T01:00:00Z");
    const ours = await s.query(insert, ["a", at, 7, true, JSON.stringify({ k: [1, "x"] })], { parsers: keep });
    const theirs = await pg.query(insert, ["b", at, 7, true, JSON.stringify({ k: [1, "x"] })], { parsers: keep });
    expect(ours.rows).toEqual([{ id: 1, name: "a", at: "2026-12-06 01:00:00+00", n: 7, ok: true, data: { k: [1, "x"] } }]);
    expect({ ...ours, rows: [] }).toEqual({ ...theirs, rows: [] });
    const asArrays = await s.query("select name, n from t order by id", [], { rowMode: "array" });
    expect(asArrays.rows).toEqual([["a", 7], ["b", 7]]);
    expect((await s.query("update t set n = n + 1 where n = $1", [7])).affectedRows).toBe(2);
  });

  it("prepares a statement once and runs it again; a notice before the parse does not lose the name", async () => {
    // An identifier past 63 characters: PostgreSQL's notice that it is truncated comes before ParseComplete.
    const long = `select 1 as ${"x".repeat(70)}`;
    for (let i = 0; i < 3; i++) await s.query(long);
    const q = "select count(*)::int as c from t where name <> $1";
    expect((await s.query(q, ["z"])).rows).toEqual([{ c: 2 }]);
    expect((await s.query(q, ["a"])).rows).toEqual([{ c: 1 }]);
    const names = await pg.query<{ name: string; statement: string }>("select name, statement from pg_prepared_statements order by name");
    expect(names.rows.filter((r) => r.statement === q)).toHaveLength(1);
    expect(names.rows.filter((r) => r.statement === long)).toHaveLength(1);
  });

  it("throws PostgreSQL's error with its code, and the session goes on; a failed transaction rolls back whole", async () => {
    await expect(s.query("insert into t (name) values ($1)", ["a"])).rejects.toMatchObject({ code: "23505", constraint: "t_name_key" });
    await expect(s.query("select no_such_column from t")).rejects.toMatchObject({ code: "42703" });
    await expect(
      s.transaction(async (tx) => {
        await tx.query("insert into t (name) values ($1)", ["c"]);
        await tx.query("insert into t (name) values ($1)", ["a"]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect((await s.query("select name from t order by id")).rows).toEqual([{ name: "a" }, { name: "b" }]);
    expect(pg.isInTransaction()).toBe(false);
  });

  it("passes arrays to PGlite's own query", async () => {
    expect((await s.query("select count(*)::int as c from t where name = any($1)", [["a", "b", "q"]])).rows).toEqual([{ c: 2 }]);
  });

  it("runs a statement outside a transaction after that transaction's end", async () => {
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    const tx = s.transaction(async (t) => {
      await t.query("insert into t (name) values ($1)", ["d"]);
      inside();
      await held;
      order.push("commit");
    });
    await entered;
    const outside = s.query("select count(*)::int as c from t where name = $1", ["d"]).then((r) => (order.push("read"), r.rows));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); // without the lock the read would run now, inside the transaction
    finish();
    await tx;
    expect(await outside).toEqual([{ c: 1 }]);
    expect(order).toEqual(["commit", "read"]);
  });
});
