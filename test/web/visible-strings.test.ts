// Issue 7 item 5: "a test fails when … a visible string is not from a catalog". Every .tsx file of the web app is
// parsed with the TypeScript compiler and searched for text a user would see that is written in the code instead
// of coming from i18next: JSX text, string literals placed as JSX children, and literal values of the attributes
// that are shown or read aloud (aria-label, title, placeholder, label, alt, …). Text made only of digits,
// punctuation and symbols (·, —, /, %, ×) is fine; so are the few names that are the same in every language,
// listed below with the reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB = join(ROOT, 'web', 'src');

/** Attributes whose value is shown on screen or read by a screen reader. */
const VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'aria-roledescription',
  'title',
  'placeholder',
  'label',
  'description',
  'alt',
  'error',
  'message',
  'nothingFoundMessage',
  'emptyMessage',
  'tooltip',
]);

/** Words that are not translated, each with why. */
const SAME_IN_EVERY_LANGUAGE = new Map<string, string>([
  ['Tierline', 'the product name'],
  ['简体中文', 'a language is offered under its own name'],
  ['English', 'a language is offered under its own name'],
  ['中', "short form of the language's own name in the switch"],
  ['EN', "short form of the language's own name in the switch"],
  ['A', 'tier letter'],
  ['B', 'tier letter'],
  ['C', 'tier letter'],
  ['CSV', 'file format name'],
  ['Excel', 'file format name'],
  ['ICS', 'file format name'],
  ['API', 'technical term shown as is'],
  ['URL', 'technical term shown as is'],
  ['Ctrl', 'a key as printed on the keyboard'],
  ['Enter', 'a key as printed on the keyboard'],
  ['Esc', 'a key as printed on the keyboard'],
  ['Tab', 'a key as printed on the keyboard'],
]);

/** Letters of any script: text with none is punctuation, digits or symbols. */
const WORDS = /[\p{L}]/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

function needsCatalog(text: string): boolean {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (!WORDS.test(trimmed)) return false;
  return !SAME_IN_EVERY_LANGUAGE.has(trimmed);
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

function findHardCodedText(file: string): Finding[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    findings.push({ file: relative(ROOT, file), line: line + 1, text: text.replace(/\s+/g, ' ').trim() });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      if (needsCatalog(node.text)) report(node, node.text);
    } else if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)) {
      // {'text'} or {`text`} as a child of an element.
      const e = node.expression;
      if ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && needsCatalog(e.text))
        report(e, e.text);
    } else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(source))) {
      const init = node.initializer;
      const literal =
        init && ts.isStringLiteral(init)
          ? init
          : init && ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression)
            ? init.expression
            : undefined;
      if (literal && needsCatalog(literal.text))
        report(literal, `${node.name.getText(source)}="${literal.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe('visible text in the web app', () => {
  const files = tsxFiles(WEB);

  it('finds the pages and components to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('comes from the language catalogs, not from the code', () => {
    const findings = files.flatMap(findHardCodedText).map((f) => `${f.file}:${f.line}: ${f.text}`);
    expect(findings).toEqual([]);
  });

  it('is caught when written into the code (the check itself works)', () => {
    const probe = join(ROOT, 'test', 'web', '__probe__.tsx');
    const sample = `export const X = () => <div title="Close">Save changes<span>{'保存'}</span>{t('ok')} · 3</div>;`;
    const source = ts.createSourceFile(probe, sample, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const texts: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node) && needsCatalog(node.text)) texts.push(node.text.trim());
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(texts).toEqual(['Save changes']);
    expect(needsCatalog(' · 3 ')).toBe(false);
    expect(needsCatalog('保存')).toBe(true);
    expect(needsCatalog('Tierline')).toBe(false);
  });
});
