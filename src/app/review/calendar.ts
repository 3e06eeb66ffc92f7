/**
 * The calendar jobs — the weekly review digest and the monthly report — as durable timers keyed by
 * their period (`review.weekly:2026-W48`), so a restart loses none and several replicas never post
 * one twice: scheduling the same key again is ignored, and each run schedules the next.
 */
import { monthlyMarkdown, digestMarkdown, type MonthlyReport } from "../../domain/review/documents.js";
import { weeklyChart, type ChartSvg } from "../../domain/review/chart.js";
import type { Policy } from "../../domain/policy.js";
import { isoWeeks, nextMonthly, nextWeekly, reviewedWeek, type CalendarRun } from "../../domain/review/calendar-runs.js";
import { priorityText, type ChatMessage } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { TimerJob, TimerJobHandler, UnitOfWork } from "../ports.js";

export const REVIEW_WEEKLY = "review.weekly";
export const REVIEW_MONTHLY = "review.monthly";

async function schedule(uow: UnitOfWork, run: CalendarRun): Promise<void> {
  await uow.timers.schedule({ kind: run.job, key: `${run.job}:${run.period}`, dueAt: run.at, payload: { period: run.period, from: run.from.toISOString(), to: run.to.toISOString() } });
}

/** Makes sure the next digest and report are scheduled (idempotent; call at start-up). */
export async function ensureCalendarRuns(ctx: AppContext): Promise<void> {
  const zone = ctx.policy.businessHours.timezone;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    await schedule(uow, nextWeekly(ctx.policy.review, zone, now));
    await schedule(uow, nextMonthly(ctx.policy.review, zone, now));
  });
  ctx.waker.wake();
}

export async function monthlyData(ctx: AppContext, month: string, from: Date, to: Date): Promise<MonthlyReport> {
  const zone = ctx.policy.businessHours.timezone;
  const data = await ctx.store.transaction(async (uow) => ({ ...(await uow.review.month(from, to)), stats: await uow.stats.compute({ from, to }), counted: await uow.review.weeks(from, to, zone) }));
  const { counted, ...rest } = data;
  // Every week of the month, quiet ones at zero: a chart or table that skips them misleads.
  const weeks = isoWeeks(from, to, zone).map((week) => counted.find((w) => w.week === week) ?? { week, counts: {} });
  return { month, ...rest, weeks, priorities: ctx.policy.matrix.priorities.map((p) => p.id), periodMs: to.getTime() - from.getTime() };
}

/** The month's chart: titled with the month, the legend naming each priority as chat does. */
export function monthlyChart(policy: Policy, data: MonthlyReport): ChartSvg {
  const labels = Object.fromEntries(data.priorities.map((p) => [p, priorityText(policy, p)]));
  return weeklyChart(data.weeks, data.priorities, `Incidents per week by priority, ${data.month}`, labels);
}

export async function monthlyReport(ctx: AppContext, month: string, from: Date, to: Date): Promise<string> {
  return monthlyMarkdown(await monthlyData(ctx, month, from, to), ctx.policy.businessHours.timezone);
}

async function post(ctx: AppContext, uow: UnitOfWork, key: string, message: ChatMessage): Promise<void> {
  for (const platform of Object.keys(ctx.chats)) {
    await uow.outbox.enqueue({ key: `${key}:${platform}`, incidentId: null, platform, target: ctx.policy.review.channel, action: "post", message }, ctx.clock.now());
  }
}

type Doc = { headline: string; body: string; chart?: { name: string; base64: string } | undefined };

function handler(ctx: AppContext, render: (job: TimerJob, from: Date, to: Date) => Promise<Doc>, next: typeof nextWeekly): TimerJobHandler {
  return async (job) => {
    const from = new Date(String(job.payload.from));
    const to = new Date(String(job.payload.to));
    const doc = await render(job, from, to);
    await ctx.store.transaction(async (uow) => {
      await post(ctx, uow, job.key, { kind: "notice", headline: doc.headline, body: doc.body, fields: [] });
      if (doc.chart) await post(ctx, uow, `${job.key}:chart`, { kind: "notice", headline: `Incidents per week by priority, ${String(job.payload.period)}`, fields: [], file: doc.chart });
      await schedule(uow, next(ctx.policy.review, ctx.policy.businessHours.timezone, ctx.clock.now()));
    });
    ctx.waker.wake();
  };
}

export function calendarJobs(ctx: AppContext): Record<string, TimerJobHandler> {
  const zone = ctx.policy.businessHours.timezone;
  return {
    [REVIEW_WEEKLY]: handler(
      ctx,
      async (job, from, to) => {
        const digest = await ctx.store.transaction((uow) => uow.review.digest(to, from, ctx.policy.review.recurringThreshold));
        const reviewed = reviewedWeek(from, to, zone);
        return { headline: `Weekly incident review ${reviewed.week} (${reviewed.days})`, body: digestMarkdown(digest, reviewed, to, zone) };
      },
      nextWeekly,
    ),
    [REVIEW_MONTHLY]: handler(
      ctx,
      async (job, from, to) => {
        const month = String(job.payload.period);
        const data = await monthlyData(ctx, month, from, to);
        const chart = { name: `incidents-per-week-${month}.png`, base64: Buffer.from(ctx.renderChart?.(monthlyChart(ctx.policy, data)) ?? []).toString("base64") };
        return { headline: `Monthly incident report ${month}`, body: monthlyMarkdown(data, zone), chart: ctx.renderChart ? chart : undefined };
      },
      nextMonthly,
    ),
  };
}
