/**
 * Prometheus metrics (prom-client): what `/metrics` serves. One registry per bot, so tests and
 * several bots in one process do not share counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Observer } from "./app/ports.js";

export class Metrics implements Observer {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: "incident_bot_commands_total",
    help: "Commands handled, by platform, subcommand and outcome (ok or a refusal code)",
    labelNames: ["platform", "subcommand", "outcome"] as const,
    registers: [this.registry],
  });
  readonly declared = new Counter({
    name: "incident_bot_incidents_declared_total",
    help: "Incidents declared, by priority",
    labelNames: ["priority"] as const,
    registers: [this.registry],
  });
  readonly timersFired = new Counter({
    name: "incident_bot_timers_fired_total",
    help: "Durable timers fired, by kind and result",
    labelNames: ["kind", "result"] as const,
    registers: [this.registry],
  });
  readonly deliveriesFailed = new Counter({
    name: "incident_bot_deliveries_failed_total",
    help: "Deliveries that failed for good after their retries",
    labelNames: ["platform"] as const,
    registers: [this.registry],
  });
  readonly handlerSeconds = new Histogram({
    name: "incident_bot_handler_seconds",
    help: "Time to handle a chat request, from receipt to the last reply",
    labelNames: ["platform", "kind"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  commandHandled(platform: string, subcommand: string, outcome: string): void {
    this.commands.inc({ platform, subcommand, outcome });
  }

  incidentDeclared(priority: string): void {
    this.declared.inc({ priority });
  }
}
