import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import schema from '../schemas/adaptive-card-1.5.json';
import { verbHandlers } from '../../bot/verbs/registry';

/**
 * Checks a card the way Teams will receive it: valid against Microsoft's published
 * Adaptive Card 1.5 schema, version 1.5, under Teams' ~28 KB message limit, every
 * input labelled, and every Action.Execute verb one the bot handles.
 */
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
ajv.addMetaSchema(draft06);
// URLs on cards are checked by Teams itself; the schema's formats are only hints here.
ajv.addFormat('uri-reference', true);
ajv.addFormat('uri', true);
// The published schema is draft-06 and names itself with `id`; Ajv 8 wants `$id`.
const { id: schemaId, ...schemaBody } = schema as { id: string } & Record<string, unknown>;
const validateSchema = ajv.compile({ $id: schemaId, ...schemaBody });

export const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

function walk(node: unknown, visit: (value: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, visit));
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    visit(record);
    Object.values(record).forEach((child) => walk(child, visit));
  }
}

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!validateSchema(card)) {
    for (const error of validateSchema.errors ?? []) problems.push(`schema: ${error.instancePath || '/'} ${error.message ?? ''}`);
  }
  const record = card as Record<string, unknown>;
  if (record.version !== '1.5') problems.push(`version is ${String(record.version)}, not 1.5`);
  const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (size >= TEAMS_CARD_LIMIT_BYTES) problems.push(`card is ${size} bytes, over Teams' limit`);
  const ids = new Set<string>();
  walk(card, (node) => {
    const type = node.type;
    if (typeof type === 'string' && type.startsWith('Input.')) {
      if (typeof node.label !== 'string' || node.label.trim() === '') problems.push(`input ${String(node.id)} has no label`);
    }
    if (type === 'Action.Execute' && !(typeof node.verb === 'string' && node.verb in verbHandlers)) {
      problems.push(`Action.Execute "${String(node.title)}" has verb ${String(node.verb)}, which the bot does not handle`);
    }
    if (type === 'Action.Submit') problems.push('Action.Submit is not used: cards use Action.Execute (Universal Actions)');
    if (typeof node.id === 'string' && typeof type === 'string') {
      if (ids.has(node.id)) problems.push(`duplicate id ${node.id}`);
      ids.add(node.id);
    }
    if (typeof node.text === 'string' && node.text.includes('${')) problems.push(`unexpanded template text: ${node.text}`);
  });
  return problems;
}

/** Throws with every problem listed, so a failing test says exactly what is wrong. */
export function expectValidCard(card: unknown): void {
  const problems = cardProblems(card);
  if (problems.length > 0) throw new Error(`Card is not valid for Teams:\n- ${problems.join('\n- ')}`);
}
