import type { PGlite } from "@electric-sql/pglite";

export interface SessionResult {
  rows: (Record<string, unknown> | unknown[])[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}
export interface SessionQueryOptions {
  rowMode?: "object" | "array";
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}
export interface SessionTransaction {
  query(sql: string, params?: unknown[], options?: SessionQueryOptions): Promise<SessionResult>;
  exec(sql: string): Promise<SessionResult[]>;
  end(commit: boolean): Promise<void>;
}
export interface PgliteSession {
  query(sql: string, params?: unknown[], options?: SessionQueryOptions): Promise<SessionResult>;
  exec(sql: string): Promise<SessionResult[]>;
  begin(): Promise<SessionTransaction>;
  transaction<T>(fn: (tx: Omit<PgliteSession, "begin" | "close" | "waitReady">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly waitReady: Promise<void>;
}

/** See pglite-session.mjs. */
export function pgliteSession(pg: PGlite, lib: { protocol: unknown; types: unknown }): PgliteSession;
