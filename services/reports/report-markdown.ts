import { buildDocument, type DocumentBlock, type DocumentTable } from './report-document';
import type { QaReport } from './report';

/** The report as Markdown (GitHub tables): the same sections and tables as the HTML, without the charts. */
const cell = (text: string): string =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]<>#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');

const line = (text: string): string => cell(text);

function tableMarkdown(table: DocumentTable): string {
  const rows = table.rows.map((row) => `| ${row.cells.map((value, index) => (index === 0 && row.total === true ? `**${cell(value)}**` : cell(value))).join(' | ')} |`);
  return [`*${line(table.caption)}*`, '', `| ${table.columns.map(cell).join(' | ')} |`, `|${table.columns.map(() => ' --- ').join('|')}|`, ...rows].join('\n');
}

function blockMarkdown(block: DocumentBlock): string | undefined {
  switch (block.type) {
    case 'paragraph':
      return line(block.text);
    case 'list':
      return block.items.map((item) => `- ${line(item)}`).join('\n');
    case 'table':
      return tableMarkdown(block.table);
    case 'chart':
      return undefined;
  }
}

export function reportMarkdown(report: QaReport): string {
  const document = buildDocument(report);
  const parts = [`# ${line(document.title)}`, '', ...document.facts.map((fact) => `- **${line(fact.label)}:** ${line(fact.value)}`), '', '## Contents', ''];
  document.sections.forEach((section, index) => parts.push(`${index + 1}. [${line(section.title)}](#${section.id})`));
  document.sections.forEach((section, index) => {
    parts.push('', `<a id="${section.id}"></a>`, '', `## ${index + 1}. ${line(section.title)}`);
    for (const block of section.blocks) {
      const text = blockMarkdown(block);
      if (text !== undefined) parts.push('', text);
    }
  });
  parts.push('', '(Charts are in the HTML version; their figures are in the tables above.)', '');
  return parts.join('\n');
}
