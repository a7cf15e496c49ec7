// Finding the functions a file marks for Tracelens, with the TypeScript parser (syntax only: no
// program, no type checker, so it runs on every keystroke and on broken code). A function is marked
// when it is the first argument of jit / grad / valueAndGrad / vmap / checkGrads imported from
// `tracelens` (under whatever local name), or when its JSDoc carries @jit or @grad.

import ts from 'typescript';
import { isTracelensModule, isTracelensSpecifier, scriptKindOf, unwrap } from './tracelens_syntax.js';
import type { Mark, Marker, Registration, SourceRange } from './mark.js';

const NAME_LIMIT = 40;

export function findMarks(fileName: string, text: string): Mark[] {
  // Parent links are set by the walk below rather than by the parser (setParentNodes: false): the
  // walk visits every node that matters anyway, and the parser's own pass costs a third of parsing.
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const scopes = new Scopes();
  const found = new Map<ts.Node, Found>();
  const calls: ts.CallExpression[] = [];
  // The local names tracelens's markers and the module itself are imported or required under: only
  // a call through one of them can be a marker call, which spares a scope lookup for every other
  // call in the file (`np.add(…)` and the like are most calls).
  const imported: TracelensNames = { markers: new Set(), namespaces: new Set() };
  let parent: ts.Node = sourceFile;
  const visit = (node: ts.Node): void => {
    (node as { parent: ts.Node }).parent = parent;
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
        calls.push(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.FunctionDeclaration:
        noteTaggedFunction(node as ts.FunctionDeclaration, node as ts.FunctionDeclaration, sourceFile, found);
        break;
      case ts.SyntaxKind.VariableStatement:
        for (const declaration of (node as ts.VariableStatement).declarationList.declarations) {
          if (constFunction(declaration, node as ts.VariableStatement)) noteTaggedFunction(declaration, node as ts.VariableStatement, sourceFile, found);
          else if (declaration.initializer && isTracelensModule(declaration.initializer)) noteTracelensRequire(declaration.name, imported);
        }
        break;
      case ts.SyntaxKind.VariableDeclarationList:
        if (!isLexical(node as ts.VariableDeclarationList)) scopes.noteVar(node as ts.VariableDeclarationList);
        break;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
        noteTracelensImport(node as ts.ImportDeclaration | ts.ImportEqualsDeclaration, imported);
        return;
      default:
        // Types hold no calls and declare nothing a marker could be passed.
        if (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) return;
    }
    const outer = parent;
    parent = node;
    ts.forEachChild(node, visit);
    parent = outer;
  };
  ts.forEachChild(sourceFile, visit);
  for (const call of calls) {
    if (mayCallMarker(call.expression, imported)) noteMarkerCall(call, scopes, sourceFile, found);
  }
  const marks = [...found.values()]
    .map((f) => toMark(f, sourceFile))
    .sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  marks.forEach((mark, i) => (mark.id = i));
  return marks;
}

interface TracelensNames {
  /** Local names of imported markers: `jit`, `j` in `import { jit as j }`, `g` in `const { grad: g } = require(…)`. */
  markers: Set<string>;
  /** Local names of the module: `tl` in `import * as tl`, `const tl = require(…)`, `import tl = require(…)`. */
  namespaces: Set<string>;
}

function noteTracelensImport(node: ts.ImportDeclaration | ts.ImportEqualsDeclaration, names: TracelensNames): void {
  if (ts.isImportEqualsDeclaration(node)) {
    const reference = node.moduleReference;
    if (ts.isExternalModuleReference(reference) && isTracelensSpecifier(reference.expression)) names.namespaces.add(node.name.text);
    return;
  }
  // A default import is not noted: tracelens has no default export.
  const namedBindings = node.importClause?.namedBindings;
  if (!isTracelensSpecifier(node.moduleSpecifier) || !namedBindings) return;
  if (ts.isNamespaceImport(namedBindings)) names.namespaces.add(namedBindings.name.text);
  else {
    for (const s of namedBindings.elements) {
      if (MARKER_FUNCTIONS.has((s.propertyName ?? s.name).text)) names.markers.add(s.name.text);
    }
  }
}

function noteTracelensRequire(name: ts.BindingName, names: TracelensNames): void {
  if (ts.isIdentifier(name)) names.namespaces.add(name.text);
  else if (ts.isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      const exported = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && (ts.isIdentifier(exported) || ts.isStringLiteral(exported))
        && MARKER_FUNCTIONS.has(exported.text)) {
        names.markers.add(element.name.text);
      }
    }
  }
}

/** Whether a callee could name a marker, judged by names alone (scopes decide later). */
function mayCallMarker(expression: ts.Expression, names: TracelensNames): boolean {
  const callee = unwrap(expression);
  if (ts.isIdentifier(callee)) return names.markers.has(callee.text);
  let object: ts.Expression;
  let property: string;
  if (ts.isPropertyAccessExpression(callee)) [object, property] = [callee.expression, callee.name.text];
  else if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    [object, property] = [callee.expression, callee.argumentExpression.text];
  } else return false;
  object = unwrap(object);
  return MARKER_FUNCTIONS.has(property) && ts.isIdentifier(object) && names.namespaces.has(object.text);
}

/** A marked function while the file is read: where it is and every marker that reached it. */
interface Found {
  /** A declaration (function or `const f = …`) or, for anything else passed to a marker, the argument. */
  target: FunctionBinding | { kind: 'expression'; argument: ts.Expression; call: ts.CallExpression };
  /** Markers with the offset where each appears, to order them as the source does. */
  markers: { marker: Marker; at: number }[];
  callSites: { call: ts.CallExpression; callee: ts.Node; argument: ts.Expression }[];
}

const MARKER_FUNCTIONS = new Set<string>(['jit', 'grad', 'valueAndGrad', 'vmap', 'checkGrads']);
const GRAD_MARKERS = new Set<Marker>(['grad', 'valueAndGrad', 'checkGrads', '@grad']);

function noteMarkerCall(call: ts.CallExpression, scopes: Scopes, sourceFile: ts.SourceFile, found: Map<ts.Node, Found>): void {
  const callee = markerCallee(call.expression, scopes);
  const argument = call.arguments[0];
  if (callee === null || argument === undefined || ts.isSpreadElement(argument) || isMissing(argument, sourceFile)) return;
  const site = { call, callee: callee.name, argument };
  const at = callee.name.getStart(sourceFile);
  const inner = unwrap(argument);
  const binding = ts.isIdentifier(inner) ? scopes.bindingAt(inner) : null;
  const key = binding?.kind === 'function' || binding?.kind === 'const-function' ? binding.declaration : argument;
  let entry = found.get(key);
  if (entry === undefined) {
    const target = binding?.kind === 'function' || binding?.kind === 'const-function' ? binding
      : { kind: 'expression' as const, argument, call };
    entry = { target, markers: [], callSites: [] };
    found.set(key, entry);
  }
  entry.markers.push({ marker: callee.marker, at });
  entry.callSites.push(site);
}

/** The marker a callee names, when it is one of tracelens's: `jit`, `j` (aliased), `tl.jit`, `tl['jit']`. */
function markerCallee(expression: ts.Expression, scopes: Scopes): { marker: Marker; name: ts.Node } | null {
  const callee = unwrap(expression);
  if (ts.isIdentifier(callee)) {
    const binding = scopes.bindingAt(callee);
    return binding?.kind === 'marker' ? { marker: binding.marker, name: callee } : null;
  }
  let object: ts.Expression;
  let name: ts.Node;
  let property: string;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
    [object, name, property] = [callee.expression, callee.name, callee.name.text];
  } else if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    [object, name, property] = [callee.expression, callee.argumentExpression, callee.argumentExpression.text];
  } else {
    return null;
  }
  object = unwrap(object);
  if (!ts.isIdentifier(object) || !MARKER_FUNCTIONS.has(property)) return null;
  return scopes.bindingAt(object)?.kind === 'namespace' ? { marker: property as Marker, name } : null;
}

function noteTaggedFunction(
  declaration: ts.FunctionDeclaration | ts.VariableDeclaration,
  statement: ts.FunctionDeclaration | ts.VariableStatement,
  sourceFile: ts.SourceFile,
  found: Map<ts.Node, Found>,
): void {
  if (declaration.name === undefined || !ts.isIdentifier(declaration.name) || isMissing(declaration.name, sourceFile)) return;
  // An overload signature or a `declare`d function has no value here to trace; an implementation
  // takes the tags of its signatures.
  if (ts.isFunctionDeclaration(declaration) && !declaration.body) return;
  for (const tag of jsDocTags(docHosts(statement))) {
    const marker = tag.tagName.text === 'jit' ? '@jit' : tag.tagName.text === 'grad' ? '@grad' : null;
    if (marker === null) continue;
    let entry = found.get(declaration);
    if (entry === undefined) {
      const target: FunctionBinding = ts.isFunctionDeclaration(declaration)
        ? { kind: 'function', declaration }
        : { kind: 'const-function', declaration, statement: statement as ts.VariableStatement };
      entry = { target, markers: [], callSites: [] };
      found.set(declaration, entry);
    }
    entry.markers.push({ marker, at: tag.tagName.getStart(sourceFile) });
  }
}

/** A `const` declarator whose value is a function written in place. */
function constFunction(declaration: ts.VariableDeclaration, statement: ts.VariableStatement): boolean {
  if (!(statement.declarationList.flags & ts.NodeFlags.Const) || !ts.isIdentifier(declaration.name)) return false;
  const value = declaration.initializer && unwrap(declaration.initializer);
  return value !== undefined && (ts.isArrowFunction(value) || ts.isFunctionExpression(value));
}

function toMark(found: Found, sourceFile: ts.SourceFile): Mark {
  const markers = [...found.markers].sort((a, b) => a.at - b.at).map((m) => m.marker)
    .filter((m, i, all) => all.indexOf(m) === i);
  const gradMarked = markers.some((m) => GRAD_MARKERS.has(m));
  const callSites = found.callSites; // in source order: calls are collected in a pre-order walk
  const siteHovers = callSites.flatMap((s) => [rangeOf(s.callee, sourceFile), rangeOf(s.call, sourceFile)]);
  const wraps: Registration[] = callSites.map((s) => ({ kind: 'wrap', range: rangeOf(s.argument, sourceFile) }));
  const target = found.target;
  // Objects are written out field by field: spreading them is several times slower, and a file
  // can have hundreds of marks.
  if (target.kind === 'expression') {
    const statement = enclosingStatement(target.call);
    const { shapes, shapesRange } = shapesOf([statement], sourceFile);
    return {
      id: 0, name: expressionName(target.argument, target.call, sourceFile), markers, gradMarked,
      lensAt: lineStart(sourceFile.text, statement.getStart(sourceFile)), hoverRanges: siteHovers,
      shapes, shapesRange, range: rangeOf(target.argument, sourceFile), registrations: wraps,
    };
  }
  const declaration = target.declaration;
  const name = declaration.name as ts.Identifier;
  const statement = target.kind === 'function' ? target.declaration : target.statement;
  const topLevel = ts.isSourceFile(statement.parent);
  // A declaration the runner can reach only through a call site it is passed to: when a nested one
  // has none (marked by JSDoc alone), registering it after its statement is the only way to get it.
  const registrations: Registration[] = topLevel || wraps.length === 0
    ? [{ kind: 'after-statement', at: statement.end, expression: name.text }, ...wraps] : wraps;
  const wholeStatement = target.kind === 'function' || target.statement.declarationList.declarations.length === 1;
  const { shapes, shapesRange } = shapesOf(docHosts(statement), sourceFile);
  return {
    id: 0, name: name.text, markers, gradMarked,
    lensAt: lineStart(sourceFile.text, statement.getStart(sourceFile)),
    hoverRanges: [rangeOf(name, sourceFile), ...siteHovers],
    shapes, shapesRange, range: rangeOf(wholeStatement ? statement : declaration, sourceFile), registrations,
  };
}

/** What to call a marked expression: a function expression's own name, else the code, shortened. */
function expressionName(argument: ts.Expression, call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  const inner = unwrap(argument);
  if (ts.isFunctionExpression(inner) && inner.name) return inner.name.text;
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) {
    const params = inner.parameters.map((p) => p.name.getText(sourceFile)).join(', ');
    const isAsync = inner.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
    const fn = ts.isArrowFunction(inner) ? `${isAsync}(${params}) => …` : `${isAsync}function (${params}) {…}`;
    const rest = call.arguments.length > 1 ? ', …' : '';
    return shorten(`${call.expression.getText(sourceFile)}(${fn}${rest})`);
  }
  return shorten(argument.getText(sourceFile));
}

function shorten(code: string): string {
  // A display label, not code to parse: one line, no padding that a line break left inside brackets.
  const oneLine = code.replace(/\s+/g, ' ').replace(/([([]) | (?=[)\]])/g, '$1');
  return oneLine.length <= NAME_LIMIT ? oneLine : `${oneLine.slice(0, NAME_LIMIT - 1)}…`;
}

/** The statement holding a node: the ancestor that sits directly in a statement list. */
function enclosingStatement(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isSourceFile(n.parent) && !ts.isBlock(n.parent) && !ts.isModuleBlock(n.parent)
    && !ts.isCaseClause(n.parent) && !ts.isDefaultClause(n.parent)) {
    n = n.parent;
  }
  return n;
}

/** The nodes whose JSDoc describes a declaration: a function's overload signatures, then itself. */
function docHosts(statement: ts.FunctionDeclaration | ts.VariableStatement): ts.Node[] {
  if (!ts.isFunctionDeclaration(statement) || !statement.name) return [statement];
  const siblings = (statement.parent as { statements?: readonly ts.Statement[] }).statements ?? [];
  const at = indexByPosition(siblings, statement);
  let first = at;
  while (first > 0) {
    const previous = siblings[first - 1];
    if (!ts.isFunctionDeclaration(previous) || previous.body || previous.name?.text !== statement.name.text) break;
    first--;
  }
  return at < 0 ? [statement] : siblings.slice(first, at + 1);
}

/** Where a statement is in its list (statements are in text order), or -1. */
function indexByPosition(statements: readonly ts.Statement[], statement: ts.Statement): number {
  let [lo, hi] = [0, statements.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid] === statement) return mid;
    if (statements[mid].pos < statement.pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function jsDocTags(hosts: ts.Node[]): ts.JSDocTag[] {
  return hosts.flatMap((host) => ts.getJSDocCommentsAndTags(host).flatMap((d) => (ts.isJSDoc(d) ? [...(d.tags ?? [])] : [])));
}

/** The text of the last `@shapes` tag in the hosts' JSDoc, lines joined by spaces, and where it is. */
function shapesOf(hosts: ts.Node[], sourceFile: ts.SourceFile): { shapes: string | null; shapesRange: SourceRange | null } {
  const tag = jsDocTags(hosts).filter((t) => t.tagName.text === 'shapes').at(-1);
  if (tag === undefined) return { shapes: null, shapesRange: null };
  const text = sourceFile.text;
  const pieces: SourceRange[] = [];
  let lineStartAt = tag.tagName.end;
  let first = true;
  while (lineStartAt < tag.end) {
    let lineEnd = lineStartAt;
    while (lineEnd < tag.end && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    let s = lineStartAt;
    if (!first) {
      while (s < lineEnd && isSpace(text[s])) s++;
      if (text[s] === '*') s++;
    }
    while (s < lineEnd && isSpace(text[s])) s++;
    let e = lineEnd;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) pieces.push({ start: s, end: e });
    lineStartAt = lineEnd + 1;
    first = false;
  }
  if (pieces.length === 0) return { shapes: '', shapesRange: { start: tag.tagName.end, end: tag.tagName.end } };
  return {
    shapes: pieces.map((p) => text.slice(p.start, p.end)).join(' '),
    shapesRange: { start: pieces[0].start, end: pieces[pieces.length - 1].end },
  };
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): SourceRange {
  return { start: node.getStart(sourceFile), end: node.end };
}

/** Nodes the parser invents to recover from an error have no text. */
function isMissing(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  return node.end <= node.getStart(sourceFile);
}

// ---- Which declaration a name refers to, by JavaScript's lexical scoping within the file ----

type FunctionBinding =
  | { kind: 'function'; declaration: ts.FunctionDeclaration }
  | { kind: 'const-function'; declaration: ts.VariableDeclaration; statement: ts.VariableStatement };
/** What a name is bound to, as far as marking goes: anything else ('other') still shadows outer names. */
type Binding = FunctionBinding | { kind: 'marker'; marker: Marker } | { kind: 'namespace' } | { kind: 'other' };

/** Name lookup for one file, by JavaScript's scoping rules, each scope's declarations read once. */
class Scopes {
  private readonly declared = new Map<ts.Node, Map<string, Binding>>();
  /** `var` declaration lists by the function (or file) scope JavaScript hoists them to. */
  private readonly vars = new Map<ts.Node, ts.VariableDeclarationList[]>();

  noteVar(list: ts.VariableDeclarationList): void {
    let scope: ts.Node = list.parent;
    while (!isFunctionScope(scope) && scope.parent) scope = scope.parent;
    const lists = this.vars.get(scope);
    if (lists) lists.push(list);
    else this.vars.set(scope, [list]);
  }

  /** What `identifier` refers to where it stands: the nearest scope that declares it, or null (a global). */
  bindingAt(identifier: ts.Identifier): Binding | null {
    for (let scope = identifier.parent; scope !== undefined; scope = scope.parent) {
      let bindings = this.declared.get(scope);
      if (bindings === undefined) {
        bindings = this.declaredIn(scope);
        this.declared.set(scope, bindings);
      }
      const binding = bindings.get(identifier.text);
      if (binding !== undefined) return binding;
    }
    return null;
  }

  /** The names a node declares for its own scope (none for nodes that open no scope). */
  private declaredIn(scope: ts.Node): Map<string, Binding> {
    const bindings = new Map<string, Binding>();
    for (const list of this.vars.get(scope) ?? []) {
      const statement = ts.isVariableStatement(list.parent) ? list.parent : null;
      for (const d of list.declarations) addDeclarator(d, statement, bindings);
    }
    if (ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isBlock(scope)) {
      addStatements(scope.statements, bindings);
    } else if (ts.isCaseBlock(scope)) {
      for (const clause of scope.clauses) addStatements(clause.statements, bindings);
    } else if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) addNames(parameter.name, bindings);
      if (ts.isFunctionExpression(scope) && scope.name) bindings.set(scope.name.text, { kind: 'other' });
    } else if ((ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope))
      && scope.initializer && ts.isVariableDeclarationList(scope.initializer) && isLexical(scope.initializer)) {
      for (const d of scope.initializer.declarations) addNames(d.name, bindings);
    } else if (ts.isCatchClause(scope) && scope.variableDeclaration) {
      addNames(scope.variableDeclaration.name, bindings);
    }
    return bindings;
  }
}

/** The scopes `var` belongs to: a function's body, a namespace's body, the file. */
function isFunctionScope(node: ts.Node): boolean {
  return ts.isSourceFile(node) || ts.isModuleBlock(node) || (ts.isBlock(node) && ts.isFunctionLike(node.parent));
}

/** The block-scoped declarations (and imports) of a statement list. */
function addStatements(statements: readonly ts.Statement[], bindings: Map<string, Binding>): void {
  for (const statement of statements) {
    if (ts.isFunctionDeclaration(statement)) {
      if (!statement.name) continue;
      // Of overloads, the implementation (the one with a body) is the function; a `declare`d one
      // is defined elsewhere, so a marker call on it marks the expression.
      if (statement.body) bindings.set(statement.name.text, { kind: 'function', declaration: statement });
      else if (!bindings.has(statement.name.text)) bindings.set(statement.name.text, { kind: 'other' });
    } else if (ts.isVariableStatement(statement)) {
      if (isLexical(statement.declarationList)) {
        for (const d of statement.declarationList.declarations) addDeclarator(d, statement, bindings);
      }
    } else if (ts.isImportDeclaration(statement)) {
      addImport(statement, bindings);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const fromTracelens = ts.isExternalModuleReference(statement.moduleReference)
        && isTracelensSpecifier(statement.moduleReference.expression);
      bindings.set(statement.name.text, fromTracelens && !statement.isTypeOnly ? { kind: 'namespace' } : { kind: 'other' });
    } else if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement))
      && statement.name && ts.isIdentifier(statement.name)) {
      bindings.set(statement.name.text, { kind: 'other' });
    }
  }
}

function isLexical(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) !== 0;
}

/** `const f = () => …`, `const { jit } = require('tracelens')`, `const tl = require('tracelens')`, or any other. */
function addDeclarator(d: ts.VariableDeclaration, statement: ts.VariableStatement | null, bindings: Map<string, Binding>): void {
  if (statement && constFunction(d, statement)) {
    bindings.set((d.name as ts.Identifier).text, { kind: 'const-function', declaration: d, statement });
    return;
  }
  if (d.initializer && isTracelensModule(d.initializer)) {
    if (ts.isIdentifier(d.name)) {
      bindings.set(d.name.text, { kind: 'namespace' });
      return;
    }
    if (ts.isObjectBindingPattern(d.name)) {
      for (const element of d.name.elements) {
        const exported = element.propertyName ?? element.name;
        const exportedName = ts.isIdentifier(exported) || ts.isStringLiteral(exported) ? exported.text : '';
        if (ts.isIdentifier(element.name) && !element.dotDotDotToken && MARKER_FUNCTIONS.has(exportedName)) {
          bindings.set(element.name.text, { kind: 'marker', marker: exportedName as Marker });
        } else {
          addNames(element.name, bindings);
        }
      }
      return;
    }
  }
  addNames(d.name, bindings);
}

function addImport(declaration: ts.ImportDeclaration, bindings: Map<string, Binding>): void {
  const clause = declaration.importClause;
  if (!clause) return;
  const fromTracelens = isTracelensSpecifier(declaration.moduleSpecifier) && !clause.isTypeOnly;
  // tracelens has no default export: a default import binds nothing that marks.
  if (clause.name) bindings.set(clause.name.text, { kind: 'other' });
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) {
    bindings.set(named.name.text, fromTracelens ? { kind: 'namespace' } : { kind: 'other' });
  } else if (named) {
    for (const specifier of named.elements) {
      const exported = (specifier.propertyName ?? specifier.name).text;
      const marks = fromTracelens && !specifier.isTypeOnly && MARKER_FUNCTIONS.has(exported);
      bindings.set(specifier.name.text, marks ? { kind: 'marker', marker: exported as Marker } : { kind: 'other' });
    }
  }
}

function addNames(name: ts.BindingName, bindings: Map<string, Binding>): void {
  const names = new Set<string>();
  addLocalNames(name, names);
  for (const n of names) bindings.set(n, { kind: 'other' });
}

function addLocalNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) {
    if (name.text !== '') names.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) addLocalNames(element.name, names);
  }
}
