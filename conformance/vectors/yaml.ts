import { isSd, type Tree } from './sd.js';

/**
 * A small YAML writer for specification.yml in the layout of the Python reference's test cases
 * (sd-jwt-python tests/testcases/<name>/specification.yml): selectively disclosable members and
 * elements carry the `!sd` tag; scalars are written as JSON (valid YAML flow scalars).
 */
const scalar = (v: unknown): string => JSON.stringify(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';
const isEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);
const flowEmpty = (v: unknown): string => (Array.isArray(v) ? '[]' : '{}');

function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

function lines(value: unknown, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const raw of value as Tree[]) {
      const tag = isSd(raw) ? '!sd ' : '';
      const el = isSd(raw) ? raw.value : raw;
      if (isScalar(el) || isEmpty(el)) out.push(`${indent}- ${tag}${isScalar(el) ? scalar(el) : flowEmpty(el)}`);
      else out.push(`${indent}- ${tag}`.trimEnd(), ...lines(el, `${indent}  `));
    }
    return out;
  }
  for (const [name, raw] of Object.entries(value as Record<string, Tree>)) {
    const tag = isSd(raw) ? '!sd ' : '';
    const v = isSd(raw) ? raw.value : raw;
    if (isScalar(v) || isEmpty(v)) out.push(`${indent}${tag}${key(name)}: ${isScalar(v) ? scalar(v) : flowEmpty(v)}`);
    else out.push(`${indent}${tag}${key(name)}:`, ...lines(v, `${indent}  `));
  }
  return out;
}

/** A YAML document of top-level sections (each an object, array or scalar). */
export function toYaml(doc: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [name, v] of Object.entries(doc)) {
    if (isScalar(v) || isEmpty(v)) out.push(`${key(name)}: ${isScalar(v) ? scalar(v) : flowEmpty(v)}`);
    else out.push(`${key(name)}:`, ...lines(v, '  '));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
