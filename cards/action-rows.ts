import type { ActionRowInput, ActionRowProblems } from '../services/actions/action-rows';
import type { StaffMember } from '../services/staff';
import type { CardQuestion } from './record.card';

/** The action rows of a card (what, who, by when), with the answers kept and any problem beside its field. */
export function actionRowQuestions(rows: readonly ActionRowInput[], problems: ActionRowProblems, owners: readonly StaffMember[]): CardQuestion[] {
  const choices = owners.map((owner) => ({ title: owner.name, value: owner.id }));
  return rows.flatMap((row, i) => {
    const n = i + 1;
    return [
      { id: `action${n}`, label: `Action ${n}: what needs doing (optional)`, input: 'text' as const, maxLength: 1000, value: row.description, problem: problems[`action${n}.description`] ?? '' },
      { id: `action${n}Owner`, label: `Action ${n}: who`, input: 'choice' as const, choiceStyle: 'compact' as const, choices, value: row.ownerId, problem: problems[`action${n}.owner`] ?? '' },
      { id: `action${n}Due`, label: `Action ${n}: due by`, input: 'date' as const, value: row.dueDate, problem: problems[`action${n}.due`] ?? '' },
    ];
  });
}
