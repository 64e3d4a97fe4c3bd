import type { CommandName } from '../../services/permissions';
import type { CommandHandler } from './command';
import { actions } from './actions';
import { briefings } from './briefings';
import { feedback } from './feedback';
import { focusDays } from './focus-days';
import { help } from './help';
import { moderate } from './moderate';
import { myTasks } from './my-tasks';
import { observe } from './observe';
import { report } from './report';
import { rota } from './rota';
import { status } from './status';
import { themes } from './themes';
import { spotlight } from './spotlight';
import { whoami } from './whoami';

/** One handler per command in the permissions catalogue; the compiler checks none is missing. */
export const commandHandlers: Record<CommandName, CommandHandler> = { help, 'my tasks': myTasks, actions, feedback, moderate, observe, 'focus days': focusDays, themes, spotlight, briefings, whoami, rota, status, report };
