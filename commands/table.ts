// The one command table. /帮助, "did you mean" and the emulator's "/" menu all read it.
import {
  campaignBind,
  campaignDeadline,
  campaignDeadlineAction,
  campaignList,
  campaignMenu,
  campaignNew,
  campaignPhase,
  campaignPhaseAction,
  campaignShow,
  campaignShowAction,
} from './campaigns.js';
import { help, helpListAction, helpUsageAction } from './help.js';
import { confirm, declarationActionHandlers, declare, review } from './declarations.js';
import { recommend, recommendList, recommendationActionHandlers } from './recommendations.js';
import { quota, quotaRefreshAction } from './quotas.js';
import { submissionCardActions, submissionCommands } from './submissions.js';
import { importCommand } from './import.js';
import { roleGrant, roleList, roleRevoke, unitLiaison, unitList, unitListAction, unitMember, unitNew, unitRemove } from './units.js';
import { whoami } from './whoami.js';
import { reminderCardActions, reminderCommands } from './reminders.js';
import type { CardActionHandler, Command } from './types.js';

export const commandTable = [
  help,
  whoami,
  campaignMenu,
  campaignNew,
  campaignList,
  campaignShow,
  campaignPhase,
  campaignDeadline,
  campaignBind,
  quota,
  ...submissionCommands,
  unitNew,
  unitList,
  unitLiaison,
  unitMember,
  unitRemove,
  roleGrant,
  roleRevoke,
  roleList,
  importCommand,
  recommend,
  recommendList,
  declare,
  review,
  confirm,
  ...reminderCommands,
] satisfies readonly Command[];

export const cardActionTable = [
  helpUsageAction,
  helpListAction,
  campaignShowAction,
  campaignPhaseAction,
  campaignDeadlineAction,
  quotaRefreshAction,
  ...submissionCardActions,
  unitListAction,
  ...recommendationActionHandlers,
  ...declarationActionHandlers,
  ...reminderCardActions,
] satisfies readonly CardActionHandler[];
