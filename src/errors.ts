// Typed errors thrown by domain and services; the edge (router) maps them to Chinese once.
import { formatMessage, type MessageCode } from './i18n/messages.js';

export class DomainError extends Error {
  constructor(
    readonly code: MessageCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
  userMessage(): string {
    return formatMessage(this.code, this.params);
  }
}

/** What any thrown value means to a user: a DomainError's own text, anything else a generic apology. */
export function userMessageFor(err: unknown): { text: string; expected: boolean } {
  if (err instanceof DomainError) return { text: err.userMessage(), expected: true };
  return { text: formatMessage('internal'), expected: false };
}
