import type { CommandName } from '../../services/permissions';
import type { CommandHandler } from './command';
import { actions } from './actions';
import { help } from './help';
import { moderate } from './moderate';
import { myTasks } from './my-tasks';
import { rota } from './rota';
import { status } from './status';
import { whoami } from './whoami';

/** One handler per command in the permissions catalogue; the compiler checks none is missing. */
export const commandHandlers: Record<CommandName, CommandHandler> = { help, 'my tasks': myTasks, actions, moderate, whoami, rota, status };
