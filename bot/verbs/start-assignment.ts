import { moveAssignmentVerb } from './move-assignment';

export const startAssignment = moveAssignmentVerb('started', (changed, assignment) =>
  changed
    ? 'Started. When it is finished, press "Mark as done". Type "my tasks" to come back to it from any device.'
    : assignment.status === 'started'
      ? 'This was already started.'
      : `This is ${assignment.status}: nothing to start.`,
);
