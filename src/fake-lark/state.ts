// Everything one fake Lark instance knows, shared by its OpenAPI routes and its event delivery.
import type { MessageStore } from './message-store.js';
import type { Traffic } from './traffic.js';

export interface FakeLarkState {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tenantKey: string;
  now: () => Date;
  store: MessageStore;
  traffic: Traffic;
  /** Tenant access tokens issued so far; kept across reset() so clients' cached tokens stay valid. */
  tokens: Set<string>;
}
