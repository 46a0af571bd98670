// The fake Lark OpenAPI server: used by end-to-end tests and by the local emulator.
export { FakeLark, createFakeLark, messageText } from './fake-lark.js';
export { startFakeLark, type RunningFakeLark } from './server.js';
export { QuotaEnforcer, larkQuotaRules, startQuotaFakeLark, withQuota, type QuotaRules } from './quota.js';
export { encryptEvent, decryptEvent, signEvent } from './event-crypto.js';
export { p2pChatId } from './message-store.js';
export { userIds } from './event-delivery.js';
export { LarkCode } from './lark-errors.js';
export { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, TEXT_MAX_BYTES } from './content-rules.js';
export type * from './types.js';
