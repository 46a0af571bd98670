// The one command table. /帮助, "did you mean" and the emulator's "/" menu all read it.
import { help, helpListAction, helpUsageAction } from './help.js';
import { whoami } from './whoami.js';
import type { CardActionHandler, Command } from './types.js';

export const commandTable = [help, whoami] satisfies readonly Command[];

export const cardActionTable = [helpUsageAction, helpListAction] satisfies readonly CardActionHandler[];
