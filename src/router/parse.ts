// Turns a message's text into a command and its words. Pure.
import { closest, distance } from 'fastest-levenshtein';

export interface CommandNames {
  name: string;
  aliases: readonly string[];
}

export type ParsedLine<C> =
  | { kind: 'command'; command: C; words: string[]; rest: string }
  | { kind: 'unknown'; input: string; suggestion: string | undefined }
  | { kind: 'not_command' };

const SLASH = /^[/／]/;

/** Splits on ASCII and full-width spaces; "…" and “…” keep spaces inside one word. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|([^\s\u3000]+)/g;
  for (const m of text.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/**
 * A command is the longest run of leading words (two, then one) that names a table entry, so
 * "活动 新建" can be its own entry beside "活动". With a slash, anything unknown is an unknown
 * command; without one, only an exact command word counts, so ordinary chat is left alone.
 */
export function parseLine<C extends CommandNames>(text: string, table: readonly C[]): ParsedLine<C> {
  const trimmed = text.trim();
  const slashed = SLASH.test(trimmed);
  const words = splitWords(trimmed.replace(SLASH, ''));
  if (words.length === 0) return slashed ? { kind: 'unknown', input: trimmed, suggestion: undefined } : { kind: 'not_command' };

  const index = new Map<string, C>();
  for (const c of table) for (const n of [c.name, ...c.aliases]) index.set(n.toLowerCase(), c);

  for (const take of [2, 1]) {
    if (words.length < take) continue;
    const key = words.slice(0, take).join(' ').toLowerCase();
    const command = index.get(key);
    if (command) return { kind: 'command', command, words: words.slice(take), rest: restAfter(trimmed.replace(SLASH, ''), take) };
  }
  if (!slashed) return { kind: 'not_command' };
  const input = words[0] ?? '';
  return { kind: 'unknown', input, suggestion: suggest(input, [...index.keys()]) };
}

/** The text after the first `n` words, with its line breaks and tabs kept (pasted rows). */
function restAfter(text: string, n: number): string {
  let rest = text;
  for (let i = 0; i < n; i++) rest = rest.replace(/^[\s\u3000]*[^\s\u3000]+/, '');
  return rest.replace(/^[ \t\u3000]*\r?\n?/, '').replace(/\s+$/, '');
}

/** The closest command word, if it is close enough to be a plausible typo. */
export function suggest(input: string, names: string[]): string | undefined {
  if (!input || names.length === 0) return undefined;
  const lower = input.toLowerCase();
  const prefixed = names.find((n) => n.startsWith(lower) || lower.startsWith(n));
  if (prefixed) return prefixed;
  const best = closest(lower, names);
  const limit = Math.max(1, Math.floor(Math.max(best.length, lower.length) / 2));
  return distance(lower, best) <= limit ? best : undefined;
}
