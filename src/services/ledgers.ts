// Reform ledgers (改革台账, seed 002 measure 9): one per year of work, with escalation thresholds and a bound work
// group. Every change is written in the caller's transaction with its audit row.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { ledgers, ledgerTasks, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { defaultEscalationPolicy, parseEscalationPolicy, type EscalationPolicy } from '../domain/ledger/escalation.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

export type LedgerRow = typeof ledgers.$inferSelect;

export const LEDGER_TITLE_MAX = 50;

/** The year a ledger is for: the first 20xx in its title, else the current Beijing year. */
export function ledgerYear(title: string, now: Date): number {
  const m = /(20\d{2})/.exec(title);
  return m ? Number(m[1]) : Number(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
}

export async function createLedger({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { title: string }; actorOpenId: string | null }): Promise<LedgerRow> {
  const title = input.title.replace(/\s+/g, ' ').trim();
  if (title === '') throw new DomainError('ledger.badTitle', { message: '请写台账名称，例如“/台账 新建 2026年全面深化改革任务”。' });
  if ([...title].length > LEDGER_TITLE_MAX) throw new DomainError('ledger.badTitle', { message: `台账名称不能超过 ${LEDGER_TITLE_MAX} 字。` });
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .insert(ledgers)
    .values({ title, year: ledgerYear(title, at), policy: defaultEscalationPolicy, createdBy: actorOpenId, createdAt: at })
    .onConflictDoNothing({ target: ledgers.title })
    .returning();
  if (!row) throw new DomainError('ledger.exists', { title });
  await recordAudit(ctx.db, { at, actorOpenId, action: 'ledger.create', entityType: 'ledger', entityId: String(row.id), after: row });
  return row;
}

export interface LedgerListing extends LedgerRow {
  taskCount: number;
}

export async function listLedgers({ ctx }: { ctx: ServiceCtx }): Promise<LedgerListing[]> {
  const rows = await ctx.db.select().from(ledgers).orderBy(asc(ledgers.id));
  const counts = await ctx.db.select({ ledgerId: ledgerTasks.ledgerId, n: count() }).from(ledgerTasks).groupBy(ledgerTasks.ledgerId);
  return rows.map((r) => ({ ...r, taskCount: counts.find((c) => c.ledgerId === r.id)?.n ?? 0 }));
}

export async function ledgerById(db: Db, id: number): Promise<LedgerRow> {
  const [row] = await db.select().from(ledgers).where(eq(ledgers.id, id));
  if (!row) throw new DomainError('ledger.notFound', { title: `#${id}` });
  return row;
}

/** The ledger of this title; without a title, the only active ledger. */
export async function findLedger({ ctx, title }: { ctx: ServiceCtx; title?: string | undefined }): Promise<LedgerRow> {
  if (title !== undefined && title.trim() !== '') {
    const wanted = title.trim();
    const [row] = await ctx.db.select().from(ledgers).where(eq(ledgers.title, wanted));
    if (!row) throw new DomainError('ledger.notFound', { title: wanted });
    return row;
  }
  const active = await ctx.db.select().from(ledgers).where(eq(ledgers.status, 'active')).orderBy(asc(ledgers.id));
  const [only] = active;
  if (!only) throw new DomainError('ledger.none');
  if (active.length > 1) throw new DomainError('ledger.ambiguous', { titles: active.map((l) => l.title).join('、') });
  return only;
}

/**
 * The prefix of a ledger's task codes: RW2026 for the first ledger of 2026, RW2026B, RW2026C … for later ones of the
 * same year, so a code names one task across all ledgers.
 */
export async function taskCodePrefix(db: Db, ledger: Pick<LedgerRow, 'id' | 'year'>): Promise<string> {
  const [row] = await db
    .select({ n: count() })
    .from(ledgers)
    .where(and(eq(ledgers.year, ledger.year), sql`${ledgers.id} < ${ledger.id}`));
  const rank = row?.n ?? 0;
  return `RW${ledger.year}${rank === 0 ? '' : String.fromCharCode(65 + Math.min(rank, 25))}`;
}

/** Sets the ledger's work group (daily dispatch, red-list notices). */
export async function bindLedgerChat({ ctx, ledgerId, chatId, actorOpenId }: { ctx: ServiceCtx; ledgerId: number; chatId: string; actorOpenId: string | null }): Promise<{ ledger: LedgerRow; changed: boolean }> {
  const [before] = await ctx.db.select().from(ledgers).where(eq(ledgers.id, ledgerId)).for('update');
  if (!before) throw new DomainError('ledger.notFound', { title: `#${ledgerId}` });
  if (before.noticeChatId === chatId) return { ledger: before, changed: false };
  const [after] = await ctx.db.update(ledgers).set({ noticeChatId: chatId }).where(eq(ledgers.id, ledgerId)).returning();
  if (!after) throw new Error(`ledger ${ledgerId} vanished under a row lock`);
  const at = ctx.clock.now();
  await recordAudit(ctx.db, { at, actorOpenId, action: 'ledger.bindChat', entityType: 'ledger', entityId: String(ledgerId), before: { noticeChatId: before.noticeChatId }, after: { noticeChatId: chatId } });
  return { ledger: after, changed: true };
}

/** What /台账 设置 shows: the main leader (monthly digest), the escalation thresholds and the work group. */
export interface LedgerSettings {
  ledger: LedgerRow;
  policy: EscalationPolicy;
  mainLeader: { openId: string; name: string | null; isLeader: boolean } | null;
}

export async function ledgerSettings(db: Db, ledger: LedgerRow): Promise<LedgerSettings> {
  const parsed = parseEscalationPolicy(ledger.policy);
  const policy = parsed.ok ? parsed.value : defaultEscalationPolicy;
  if (!ledger.mainLeaderOpenId) return { ledger, policy, mainLeader: null };
  const openId = ledger.mainLeaderOpenId;
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.openId, openId));
  const [leader] = await db.select({ role: userRoles.role }).from(userRoles).where(and(eq(userRoles.userOpenId, openId), eq(userRoles.role, 'leader')));
  return { ledger, policy, mainLeader: { openId, name: user?.name ?? null, isLeader: leader !== undefined } };
}

/**
 * Changes a ledger's main leader (主要领导, who gets the monthly digest) and/or its escalation thresholds, typed by
 * the office. Thresholds are validated by the domain (1–30 working days); a bad value changes nothing.
 */
export async function updateLedgerSettings({
  ctx,
  ledgerId,
  input,
  actorOpenId,
}: {
  ctx: ServiceCtx;
  ledgerId: number;
  input: { mainLeaderOpenId?: string; policy?: Partial<Record<keyof EscalationPolicy, unknown>> };
  actorOpenId: string | null;
}): Promise<{ ledger: LedgerRow; changed: boolean }> {
  const [before] = await ctx.db.select().from(ledgers).where(eq(ledgers.id, ledgerId)).for('update');
  if (!before) throw new DomainError('ledger.notFound', { title: `#${ledgerId}` });
  const patch: Partial<Pick<LedgerRow, 'mainLeaderOpenId' | 'policy'>> = {};
  if (input.policy) {
    const parsed = parseEscalationPolicy({ ...before.policy, ...input.policy });
    if (!parsed.ok) throw new DomainError('ledger.badPolicy', { message: parsed.message });
    // jsonb reorders keys: compare field by field.
    const same = (Object.keys(parsed.value) as (keyof EscalationPolicy)[]).every((k) => parsed.value[k] === before.policy[k]);
    if (!same) patch.policy = parsed.value;
  }
  if (input.mainLeaderOpenId !== undefined && input.mainLeaderOpenId !== before.mainLeaderOpenId) patch.mainLeaderOpenId = input.mainLeaderOpenId;
  if (Object.keys(patch).length === 0) return { ledger: before, changed: false };
  const [after] = await ctx.db.update(ledgers).set(patch).where(eq(ledgers.id, ledgerId)).returning();
  if (!after) throw new Error(`ledger ${ledgerId} vanished under a row lock`);
  const was = { mainLeaderOpenId: before.mainLeaderOpenId, policy: before.policy };
  await recordAudit(ctx.db, { at: ctx.clock.now(), actorOpenId, action: 'ledger.settings', entityType: 'ledger', entityId: String(ledgerId), before: was, after: patch });
  return { ledger: after, changed: true };
}
