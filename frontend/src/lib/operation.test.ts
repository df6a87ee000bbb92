import { describe, expect, it } from 'vitest';
import { effectiveOperationName } from './operation';

describe('effectiveOperationName', () => {
  it('keeps a name the document defines', () => {
    expect(effectiveOperationName('query Me { viewer { isOperator } }', 'Me')).toBe('Me');
    expect(effectiveOperationName('query A { a } query B { b }', 'B')).toBe('B');
  });

  it('drops a stale name when the document has one operation', () => {
    expect(effectiveOperationName('{ viewer { user { email } } }', 'Me')).toBeUndefined();
    expect(effectiveOperationName('query Other { viewer { isOperator } }', 'Me')).toBeUndefined();
  });

  it('leaves the server to answer ambiguous or broken documents', () => {
    expect(effectiveOperationName('query A { a } query B { b }', 'Me')).toBe('Me');
    expect(effectiveOperationName('{ viewer {', 'Me')).toBe('Me');
  });

  it('sends no name when GraphiQL has none', () => {
    expect(effectiveOperationName('{ a }', null)).toBeUndefined();
    expect(effectiveOperationName('{ a }', undefined)).toBeUndefined();
  });
});
