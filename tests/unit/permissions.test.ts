import { allVerbs } from '../../cards/verbs';
import { commandCatalogue, commandsFor, mayPress, mayRun, parseCommand, parseCommandLine, verbRoles } from '../../services/permissions';
import { describeRoles, effectiveRoles } from '../../services/roles';

describe('who may run which command', () => {
  test('everyone is staff; unknown role names on file are ignored', () => {
    expect(effectiveRoles(['manager', 'wizard'])).toEqual(['staff', 'manager']);
    expect(describeRoles(effectiveRoles([]))).toBe('member of staff');
    expect(describeRoles(effectiveRoles(['qa_manager', 'independent_chair']))).toBe('QA manager, Independent Chair');
  });

  test('status is for the QA manager and admins only; help and whoami are for everyone', () => {
    expect(mayRun(['staff'], 'status')).toBe(false);
    expect(mayRun(['staff', 'manager', 'moderator'], 'status')).toBe(false);
    expect(mayRun(['staff', 'qa_manager'], 'status')).toBe(true);
    expect(mayRun(['staff', 'admin'], 'status')).toBe(true);
    expect(commandsFor(['staff']).map((c) => c.name)).toEqual(['help', 'my tasks', 'actions', 'feedback', 'whoami']);
    expect(commandsFor(['staff', 'admin']).map((c) => c.name)).toEqual(['help', 'my tasks', 'actions', 'feedback', 'whoami', 'status']);
    expect(commandsFor(['staff', 'qa_manager']).map((c) => c.name)).toEqual(['help', 'my tasks', 'actions', 'feedback', 'moderate', 'observe', 'focus days', 'themes', 'spotlight', 'briefings', 'whoami', 'rota', 'status', 'report']);
    expect(commandsFor(['staff', 'moderator']).map((c) => c.name)).toEqual(['help', 'my tasks', 'actions', 'feedback', 'moderate', 'whoami']);
  });

  test('every card verb has roles; rota decisions are for the QA manager only', () => {
    for (const verb of allVerbs) expect(verbRoles[verb]?.length).toBeGreaterThan(0);
    expect(mayPress(['staff', 'manager'], 'rota.decide')).toBe(false);
    expect(mayPress(['staff', 'qa_manager'], 'rota.decide')).toBe(true);
    expect(mayPress(['staff', 'admin'], 'no.such.verb')).toBe(false);
  });

  test('typed text matches a command whatever its case and spacing, and nothing else', () => {
    expect(parseCommand('  HeLp ')).toBe('help');
    expect(parseCommand('status')).toBe('status');
    expect(parseCommand('help me')).toBeUndefined();
    // Only a command that reads more (report) takes words after its name.
    expect(parseCommandLine(' Report  2027-Q1 service North ')).toEqual({ name: 'report', args: '2027-Q1 service North' });
    expect(parseCommandLine('report')).toEqual({ name: 'report', args: '' });
    expect(parseCommandLine('help me')).toBeUndefined();
    expect(parseCommandLine('reports')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
    expect(new Set(commandCatalogue.map((c) => c.name)).size).toBe(commandCatalogue.length);
  });
});
