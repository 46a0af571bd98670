// Payloads of the ledger cards (tasks, progress reports, problems, red list). Ids, versions and period keys are
// only claims: the services check every one of them against the database and the actor.
import { z } from 'zod';

const id = z.int().positive().max(2_147_483_647);
const version = z.int().nonnegative().max(2_147_483_647);
const formKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** 2026-W07 / 2026-03 / 2026-Q1 / 2026-H1 / 2026. */
const periodKey = z.string().regex(/^\d{4}(-(W\d{2}|\d{2}|Q[1-4]|H[12]))?$/);

export const taskEventsNow = ['start', 'confirm_close', 'resume'] as const;
export const taskEventsWithForm = ['request_close', 'reject_close', 'keep'] as const;
export const problemEventNames = ['assign', 'resolve', 'escalate'] as const;

export const ledgerActions = [
  /** A confirmed topic becomes a ledger task (the button on a confirmed topic's card); `l` is the ledger, else the only active one. */
  z.object({ v: z.literal(1), a: z.literal('ledger.fromSubmission'), s: id, l: id.optional() }),
  /** Submit of the /任务 新建 form for ledger `l`. */
  z.object({ v: z.literal(1), a: z.literal('task.create'), l: id }),
  z.object({ v: z.literal(1), a: z.literal('task.view'), id }),
  /** A state change without input (开始推进, 确认销号, 恢复推进), based on the task as of version `ver`. */
  z.object({ v: z.literal(1), a: z.literal('task.event'), id, ver: version, e: z.enum(taskEventsNow) }),
  /** Opens the small form a change needs (申请销号: result; 退回: reason; 留号: reason and next review date). */
  z.object({ v: z.literal(1), a: z.literal('task.eventForm'), id, ver: version, e: z.enum(taskEventsWithForm) }),
  z.object({ v: z.literal(1), a: z.literal('task.eventSubmit'), id, ver: version, e: z.enum(taskEventsWithForm) }),
  /** Back to the /任务 list. */
  z.object({ v: z.literal(1), a: z.literal('task.mine') }),
  /** The report card of task `t` for period `p`: the form, or the report as submitted (`edit` opens it for correction). */
  z.object({ v: z.literal(1), a: z.literal('report.open'), t: id, p: periodKey, edit: z.literal(1).optional() }),
  /** Submit of a report card: `ver` 0 for a new report, else the version being corrected. */
  z.object({ v: z.literal(1), a: z.literal('report.submit'), t: id, p: periodKey, ver: version }),
  z.object({ v: z.literal(1), a: z.literal('report.list') }),
  /** Submit of the /问题 登记 form: one problem per form key, into ledger `l` (cards sent before it: the only active one). */
  z.object({ v: z.literal(1), a: z.literal('problem.register'), k: formKey, l: id.optional() }),
  z.object({ v: z.literal(1), a: z.literal('problem.view'), id }),
  z.object({ v: z.literal(1), a: z.literal('problem.form'), id, e: z.enum(problemEventNames) }),
  z.object({ v: z.literal(1), a: z.literal('problem.submit'), id, e: z.enum(problemEventNames) }),
] as const;
