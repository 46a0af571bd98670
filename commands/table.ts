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
import { letterCardActions, letterCommands } from './letters.js';
import { ledgerDashboardCommands } from './ledger-dashboard.js';
import { ledgerCardActions, ledgerCommands } from './ledger.js';
import { ledgerSettingsCommands } from './ledger-settings.js';
import { taskCardActions, taskCommands } from './tasks.js';
import { reportCardActions, reportCommands } from './reports.js';
import { problemCardActions, problemCommands } from './problems.js';
import { redListCommands } from './red-list.js';
import { reviewCardActions, reviewCommands } from './review.js';
import { rankCardActions, rankCommands } from './rank.js';
import { publishCommands } from './publish.js';
import { awardCardActions, awardCommands } from './awards.js';
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
  ...letterCommands,
  ...ledgerDashboardCommands,
  ...ledgerCommands,
  ...ledgerSettingsCommands,
  ...taskCommands,
  ...reportCommands,
  ...problemCommands,
  ...redListCommands,
  ...reviewCommands,
  ...rankCommands,
  ...publishCommands,
  ...awardCommands,
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
  ...letterCardActions,
  ...ledgerCardActions,
  ...taskCardActions,
  ...reportCardActions,
  ...problemCardActions,
  ...reviewCardActions,
  ...rankCardActions,
  ...awardCardActions,
] satisfies readonly CardActionHandler[];
