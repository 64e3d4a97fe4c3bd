import type { StaffMember } from '../staff';
import type { ActionSourceKind, NewAction } from './action';

/** Up to this many actions from one step (oversight, an observation): more belong in supervision. */
export const ACTION_ROWS = 3;

/** One action as typed on a card: what, who (a staff id) and by when. Empty rows are ignored. */
export interface ActionRowInput {
  description: string;
  ownerId: string;
  dueDate: string;
}

/** Problems by field: "action1.description", "action2.owner", "action3.due". */
export type ActionRowProblems = Record<string, string>;

const isRealDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T12:00:00Z`).toISOString().slice(0, 10) === value;

export const emptyActionRows = (): ActionRowInput[] => Array.from({ length: ACTION_ROWS }, () => ({ description: '', ownerId: '', dueDate: '' }));

/** Reads the action rows from a card's data (action1, action1Owner, action1Due, ...). */
export function readActionRows(text: (name: string) => string): ActionRowInput[] {
  return Array.from({ length: ACTION_ROWS }, (_, i) => ({ description: text(`action${i + 1}`), ownerId: text(`action${i + 1}Owner`), dueDate: text(`action${i + 1}Due`) }));
}

/** Checks the rows that were started: each needs what, an owner from the list, and a due date not yet past. */
export function checkActionRows(rows: readonly ActionRowInput[], owners: readonly StaffMember[], today: string): ActionRowProblems {
  const problems: ActionRowProblems = {};
  rows.forEach((row, i) => {
    const at = `action${i + 1}`;
    if (row.description === '' && row.ownerId === '' && row.dueDate === '') return;
    if (row.description.length < 3) problems[`${at}.description`] = 'Say what needs doing.';
    else if (row.description.length > 1000) problems[`${at}.description`] = 'Keep this to 1000 characters.';
    if (!owners.some((owner) => owner.id === row.ownerId)) problems[`${at}.owner`] = 'Choose who will do it.';
    if (!isRealDate(row.dueDate)) problems[`${at}.due`] = 'Choose the date it is due.';
    else if (row.dueDate < today) problems[`${at}.due`] = 'The due date has passed: choose a later one.';
  });
  return problems;
}

/** The rows that hold an action, as actions to create. */
export function actionsFromRows(rows: readonly ActionRowInput[], sourceKind: ActionSourceKind, sourceId: string, createdBy: string): NewAction[] {
  return rows.filter((row) => row.description !== '').map((row) => ({ sourceKind, sourceId, description: row.description, ownerId: row.ownerId, dueDate: row.dueDate, createdBy }));
}
