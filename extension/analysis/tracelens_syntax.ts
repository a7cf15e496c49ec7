// Syntax both analyses need (marked functions, watched loops): how the file is parsed, and what a
// reference to the tracelens module looks like. Syntax only: no type checker, no vscode.
import ts from 'typescript';

const TRACELENS = 'tracelens';

/** The parser's language for a file name, as VS Code's TypeScript and JavaScript modes read them. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  const dot = fileName.lastIndexOf('.');
  switch (dot < 0 ? '' : fileName.slice(dot).toLowerCase()) {
    case '.tsx': return ts.ScriptKind.TSX;
    case '.js': case '.mjs': case '.cjs': return ts.ScriptKind.JS;
    case '.jsx': return ts.ScriptKind.JSX;
    default: return ts.ScriptKind.TS;
  }
}

/** The expression inside parentheses and type-only wrappers (`(f)`, `f as F`, `f!`, `f satisfies F`). */
export function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)
    || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}

/** `require('tracelens')` or `await import('tracelens')`. */
export function isTracelensModule(expression: ts.Expression): boolean {
  let e = unwrap(expression);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (!ts.isCallExpression(e) || e.arguments.length !== 1) return false;
  const isRequire = ts.isIdentifier(e.expression) && e.expression.text === 'require';
  const isImport = e.expression.kind === ts.SyntaxKind.ImportKeyword;
  return (isRequire || isImport) && isTracelensSpecifier(e.arguments[0]);
}

/** The module specifier `'tracelens'`. */
export function isTracelensSpecifier(expression: ts.Expression): boolean {
  return ts.isStringLiteralLike(expression) && expression.text === TRACELENS;
}
