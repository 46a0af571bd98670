// People named in a command (by @mention or a typed open_id) and the global roles they hold.
import { asc, eq, inArray } from 'drizzle-orm';
import { userRoles, users } from '../../db/schema/index.js';
import { isOpenId, type Person } from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { grantRole, revokeRole, upsertUser, type GlobalRole } from './actors.js';
import type { ServiceCtx } from './context.js';

/** A person @-mentioned in a message: the placeholder key, their open_id and display name. */
export interface Mention {
  key: string;
  openId: string;
  name: string;
}

export const globalRoleLabels: Record<GlobalRole, string> = { reviewer: '评审专家', leader: '领导', admin: '办公室管理员' };

/**
 * Splits a command's words into the people it names and the other words, in order. A mention
 * arrives in the text as "@name" (names may contain spaces, so several words can make one
 * mention); a word "ou_…" is an open_id typed by hand. An "@word" that is no mention is an error:
 * a name typed without picking the person from Lark's list identifies no one.
 */
export async function resolvePeople({ ctx, words, mentions }: { ctx: ServiceCtx; words: readonly string[]; mentions: readonly Mention[] }): Promise<{ people: Person[]; rest: string[] }> {
  const people: Person[] = [];
  const rest: string[] = [];
  const add = (p: Person) => {
    if (!people.some((q) => q.openId === p.openId)) people.push(p);
  };
  // Longest names first, so "@李明明" is never taken for "@李明".
  const byLength = [...mentions].sort((a, b) => b.name.length - a.name.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word.startsWith('@') || word.startsWith('＠')) {
      const match = matchMention(words, i, byLength);
      if (!match) throw new DomainError('people.badMention', { word });
      add({ openId: match.mention.openId, name: match.mention.name || undefined });
      i += match.words - 1;
    } else if (isOpenId(word)) {
      add({ openId: word, name: undefined });
    } else {
      rest.push(word);
    }
  }
  // Typed open_ids get the name the bot already knows, if any.
  const unnamed = people.filter((p) => p.name === undefined).map((p) => p.openId);
  if (unnamed.length) {
    const known = await ctx.db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, unnamed));
    for (const p of people) p.name ??= known.find((k) => k.openId === p.openId)?.name ?? undefined;
  }
  return { people, rest };
}

function matchMention(words: readonly string[], start: number, mentions: readonly Mention[]): { mention: Mention; words: number } | undefined {
  for (const mention of mentions) {
    const wanted = mention.name ? `@${mention.name}`.split(/\s+/) : [mention.key];
    const got = words.slice(start, start + wanted.length).map((w) => w.replace(/^＠/, '@'));
    if (got.length === wanted.length && got.every((w, j) => w === wanted[j])) return { mention, words: wanted.length };
  }
  return undefined;
}

export const describePerson = (p: Person): string => p.name ?? p.openId;

/** Grants a global role to each person; returns who got it now and who already had it. */
export async function grantGlobalRole({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { role: GlobalRole; people: Person[] }; actorOpenId: string | null }) {
  const at = ctx.clock.now();
  const granted: Person[] = [];
  const already: Person[] = [];
  for (const person of input.people) {
    await upsertUser(ctx.db, { openId: person.openId, name: person.name, at });
    (await grantRole(ctx.db, { openId: person.openId, role: input.role, at, actorOpenId }) ? granted : already).push(person);
  }
  return { granted, already };
}

/** Revokes a global role from each person; an admin cannot revoke their own admin role. */
export async function revokeGlobalRole({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { role: GlobalRole; people: Person[] }; actorOpenId: string | null }) {
  if (input.role === 'admin' && input.people.some((p) => p.openId === actorOpenId)) throw new DomainError('role.selfRevoke');
  const at = ctx.clock.now();
  const revoked: Person[] = [];
  const notHeld: Person[] = [];
  for (const person of input.people) {
    (await revokeRole(ctx.db, { openId: person.openId, role: input.role, at, actorOpenId }) ? revoked : notHeld).push(person);
  }
  return { revoked, notHeld };
}

/** Everyone holding a global role from the database (admins from configuration are not listed here). */
export async function listRoleHolders({ ctx }: { ctx: ServiceCtx }): Promise<{ role: GlobalRole; people: Person[] }[]> {
  const rows = await ctx.db
    .select({ role: userRoles.role, openId: userRoles.userOpenId, name: users.name })
    .from(userRoles)
    .innerJoin(users, eq(users.openId, userRoles.userOpenId))
    .orderBy(asc(userRoles.grantedAt), asc(userRoles.userOpenId));
  return (['admin', 'reviewer', 'leader'] as const).map((role) => ({
    role,
    people: rows.filter((r) => r.role === role).map((r) => ({ openId: r.openId, name: r.name ?? undefined })),
  }));
}
