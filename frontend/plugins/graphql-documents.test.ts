import { describe, expect, it } from 'vitest';
import { compileDocument, graphqlDocuments } from './graphql-documents';

describe('graphql documents plugin', () => {
  it('inlines graphql() calls with variables as document ASTs', () => {
    const plugin = graphqlDocuments();
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    const out = transform("const Q = graphql(`\n  query Site($number: String!) { site(number: $number) { id } }\n`);", '/x/frontend/src/pages/P.tsx');
    expect(out?.code).toContain('JSON.parse(');
    expect(out?.code).not.toContain('graphql(`');
    const json = JSON.parse(JSON.parse(out!.code.slice(out!.code.indexOf('JSON.parse(') + 11, out!.code.lastIndexOf(')'))));
    expect(json.definitions[0].name.value).toBe('Site');
  });

  it('leaves generated code and templates with substitutions alone', () => {
    const transform = graphqlDocuments().transform as (code: string, id: string) => unknown;
    expect(transform('graphql(`query A { a }`)', '/x/frontend/src/gql/gql.ts')).toBeNull();
    expect(transform('graphql(`query A { ${x} }`)', '/x/frontend/src/pages/P.tsx')).toBeNull();
  });

  it('refuses a fragment defined elsewhere', () => {
    expect(() => compileDocument('query A { viewer { ...F } }')).toThrow(/fragment F/);
    expect(() => compileDocument('query A { viewer { ...F } } fragment F on Viewer { isOperator }')).not.toThrow();
  });
});
