// The playground's request: which operation of the editor's document to run.
import { Kind, parse } from 'graphql';

/**
 * The operation to run. GraphiQL works out the operation name from the editor a moment after
 * each edit, so a query replaced and run at once still carries the old name ("operation Me not
 * found"): a name the document does not define is dropped when the document has one operation.
 */
export function effectiveOperationName(query: string, operationName: string | null | undefined): string | undefined {
  if (!operationName) return undefined;
  let names: (string | undefined)[];
  try {
    names = parse(query)
      .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
      .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.name?.value : undefined));
  } catch {
    return operationName; // the server reports the syntax error
  }
  if (names.includes(operationName) || names.length !== 1) return operationName;
  return undefined;
}
