// Compiles every graphql(`...`) call in the sources into its document AST at build time.
//
// The client preset's runtime graphql() looks documents up in one map that holds every operation
// of the app, so any chunk that calls it would carry all of them. Inlining each document where it
// is written keeps a page's operations in that page's lazy chunk; the types still come from the
// generated overloads in src/gql, and the unused map is tree-shaken away.
import { Kind, parse, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'vite';

// A template literal without substitutions (`$` alone is fine: GraphQL variables use it).
const call = /\bgraphql\(\s*`((?:[^`\\$]|\$(?!\{))*)`\s*\)/g;

export function compileDocument(source: string): DocumentNode {
  const doc = parse(source, { noLocation: true });
  const defined = new Set(
    doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])),
  );
  visit(doc, {
    FragmentSpread(node) {
      if (!defined.has(node.name.value)) {
        throw new Error(
          `fragment ${node.name.value} is not defined in the same graphql() document; ` +
            'the build inlines documents one by one, so define it alongside',
        );
      }
    },
  });
  return doc;
}

export function graphqlDocuments(): Plugin {
  return {
    name: 'sitekeeper-graphql-documents',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      if (!/\.(ts|tsx)$/.test(file) || !file.includes('/src/') || file.includes('/src/gql/') || file.includes('/node_modules/')) {
        return null;
      }
      if (!code.includes('graphql(`')) return null;
      let changed = false;
      const out = code.replace(call, (_match, source: string) => {
        changed = true;
        return `/* @__PURE__ */ JSON.parse(${JSON.stringify(JSON.stringify(compileDocument(source)))})`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
