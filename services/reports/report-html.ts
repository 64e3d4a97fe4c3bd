import { buildDocument, type DocumentBlock, type DocumentTable } from './report-document';
import type { QaReport } from './report';
import { escapeXml } from './svg-charts';

/**
 * The report as one printable HTML page: a heading with the period and scope, a table
 * of contents, accessible tables (caption, column and row headers) and charts as inline
 * SVG that read in black and white. No scripts, no outside resources.
 */
export interface HtmlDownloads {
  figuresCsv: string;
  recordsCsv: string;
  markdown: string;
}

const esc = escapeXml;

const STYLE = `
body{font-family:Arial,Helvetica,sans-serif;color:#000;background:#fff;margin:0 auto;max-width:960px;padding:16px 24px;line-height:1.4}
h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.3em;border-bottom:2px solid #000;padding-bottom:.2em;margin-top:1.8em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0 0 1em}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
nav ol{columns:2;padding-left:1.4em}
table{border-collapse:collapse;margin:.8em 0 1.2em;width:100%;font-size:.92em}
caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border:1px solid #000;padding:.3em .5em;text-align:left;vertical-align:top}
thead th{background:#e6e6e6}
tr.total th,tr.total td{font-weight:bold;border-top:2px solid #000}
td.num{text-align:right}
figure{margin:.8em 0 1.2em}figcaption{font-size:.9em;font-style:italic}
svg{max-width:100%;height:auto}
.downloads{font-size:.9em}
@media print{body{max-width:none;padding:0}nav{break-after:page}section{break-inside:auto}table,figure{break-inside:avoid}h2{break-after:avoid}a{color:#000;text-decoration:none}.downloads{display:none}@page{size:A4;margin:14mm}}
`;

const isNumber = (cell: string): boolean => /^\d+$/.test(cell);

function tableHtml(table: DocumentTable): string {
  const head = `<thead><tr>${table.columns.map((column) => `<th scope="col">${esc(column)}</th>`).join('')}</tr></thead>`;
  const body = table.rows
    .map((row) => {
      const [first = '', ...rest] = row.cells;
      const cells = rest.map((cell) => `<td${isNumber(cell) ? ' class="num"' : ''}>${esc(cell)}</td>`).join('');
      return `<tr${row.total === true ? ' class="total"' : ''}><th scope="row">${esc(first)}</th>${cells}</tr>`;
    })
    .join('');
  return `<table><caption>${esc(table.caption)}</caption>${head}<tbody>${body}</tbody></table>`;
}

function blockHtml(block: DocumentBlock): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${esc(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(block.table);
    case 'chart':
      // The SVG is made by svg-charts.ts from figures, with every piece of text escaped there.
      return `<figure>${block.svg}<figcaption>${esc(block.caption)} (the figures are in the table beside it)</figcaption></figure>`;
  }
}

export function reportHtml(report: QaReport, downloads?: HtmlDownloads): string {
  const document = buildDocument(report);
  const contents = document.sections.map((section, index) => `<li><a href="#${section.id}">${index + 1}. ${esc(section.title)}</a></li>`).join('');
  const sections = document.sections
    .map((section, index) => `<section id="${section.id}" aria-labelledby="${section.id}-heading"><h2 id="${section.id}-heading">${index + 1}. ${esc(section.title)}</h2>${section.blocks.map(blockHtml).join('\n')}</section>`)
    .join('\n');
  const links =
    downloads === undefined
      ? ''
      : `<p class="downloads">Download: <a href="${esc(downloads.figuresCsv)}">figures (CSV)</a> · <a href="${esc(downloads.recordsCsv)}">the records behind each figure (CSV)</a> · <a href="${esc(downloads.markdown)}">Markdown</a></p>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${esc(document.title)}: ${esc(report.scopeLabel)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(document.title)}</h1>`,
    `<dl class="facts">${document.facts.map((fact) => `<dt>${esc(fact.label)}</dt><dd>${esc(fact.value)}</dd>`).join('')}</dl>`,
    links,
    '</header>',
    `<nav aria-labelledby="contents-heading"><h2 id="contents-heading">Contents</h2><ol>${contents}</ol></nav>`,
    `<main>${sections}</main>`,
    '<footer><p>QA Loop. Children are referred to by case reference only; this report names none.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
