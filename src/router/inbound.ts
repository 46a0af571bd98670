// Transport-neutral inbound updates: what src/lark makes of Lark's events and card callbacks.
export interface Mention {
  /** The placeholder in the raw text, e.g. "@_user_1". */
  key: string;
  openId: string;
  name: string;
}

export interface InboundMessage {
  kind: 'message';
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderOpenId: string;
  messageType: string;
  /** For text messages: the text with the bot's mention removed and other mentions shown as "@name". */
  text: string;
  /** Mentions other than the bot itself (people designated in a command). */
  mentions: Mention[];
  mentionsBot: boolean;
  /** Raw JSON content string, for non-text kinds (file messages: file_key, file_name). */
  content: string;
}

export interface InboundCardAction {
  kind: 'card_action';
  eventId: string;
  operatorOpenId: string;
  /** The c-… token for a delayed card update. */
  token: string;
  openMessageId: string;
  chatId: string;
  value: unknown;
  formValue: Record<string, unknown> | undefined;
  actionName: string | undefined;
}

export interface InboundOther {
  kind: 'other';
  eventId: string;
  eventType: string;
}

export type Inbound = InboundMessage | InboundCardAction | InboundOther;

export interface Toast {
  type: 'info' | 'success' | 'error' | 'warning';
  content: string;
}
