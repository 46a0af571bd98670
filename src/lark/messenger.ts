// The one outbound seam. Only src/lark implements it over the SDK; handlers never call it.
import type { Card } from '../../cards/types.js';

export type OutboundMessage = { kind: 'text'; text: string } | { kind: 'card'; card: Card };

export type Recipient = { openId: string } | { chatId: string };

export interface Messenger {
  /** `uuid` (≤ 50 chars) is derived from what caused the message, so a retry never sends twice. */
  send(to: Recipient, message: OutboundMessage, uuid: string): Promise<{ messageId: string }>;
  reply(messageId: string, message: OutboundMessage, uuid: string): Promise<{ messageId: string }>;
  /** PATCH a card message in place (needs update_multi). */
  updateCard(messageId: string, card: Card): Promise<void>;
  /** Delayed update with a card callback's token; only after the callback was answered. */
  delayUpdateCard(token: string, card: Card): Promise<void>;
  /** Downloads a file a user sent (GET /open-apis/im/v1/messages/:id/resources/:key?type=file). */
  downloadFile(messageId: string, fileKey: string): Promise<Uint8Array>;
}

/** A Lark API failure, normalised from both SDK failure shapes (resolved code≠0, thrown AxiosError). */
export class LarkApiError extends Error {
  constructor(
    readonly httpStatus: number | undefined,
    readonly larkCode: number | undefined,
    readonly larkMsg: string,
    readonly retryable: boolean,
  ) {
    super(`Lark API error http=${httpStatus ?? '-'} code=${larkCode ?? '-'}: ${larkMsg}`);
    this.name = 'LarkApiError';
  }
}
