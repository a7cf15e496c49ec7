// Where a file trains under `watch`: the loops that call `watch.step(...)` from `tracelens`, found
// with the TypeScript parser (syntax only, like findMarks: it runs on every edit and on broken code).
// The "Run & watch" code lens stands on each position returned.
//
// A call counts when its callee is tracelens's `watch.step`, under whatever local name: `watch.step`
// (`import { watch }`), `w.step` (`import { watch as w }`, `const { watch: w } = require(…)`),
// `tl.watch.step` (`import * as tl`, `const tl = require(…)`), unless a nearer declaration shadows
// that name. Its position is the outermost loop around it: `for (epoch…) { for (batch…) { … } }` is
// one training loop, and its lens belongs on the epoch line. A call in no loop (in a function that a
// loop elsewhere calls, in a `forEach` callback at the top level) gets the top-level statement that
// holds it, which is where a reader looks for the training code.

import ts from 'typescript';
import { isTracelensModule, isTracelensSpecifier, scriptKindOf, unwrap } from './tracelens_syntax.js';

/** 0-based, as vscode.Position counts (UTF-16 code units within the line). */
export interface WatchLoopPosition {
  line: number;
  character: number;
}

export function findWatchLoops(fileName: string, text: string): WatchLoopPosition[] {
  // Most files never mention either name: skip the parse for them (this runs on every keystroke).
  if (!text.includes('tracelens') || !text.includes('step')) return [];
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const names = tracelensNames(sourceFile);
  if (names.watch.size === 0 && names.namespaces.size === 0) return [];
  const anchors = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isWatchStep(node.expression, names)) anchors.add(anchorOf(node));
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return [...anchors]
    .map((node) => node.getStart(sourceFile))
    .sort((a, b) => a - b)
    .map((offset) => sourceFile.getLineAndCharacterOfPosition(offset));
}

interface TracelensNames {
  /** Local names of the `watch` namespace: `watch`, `w` in `import { watch as w }`. */
  watch: Set<string>;
  /** Local names of the module: `tl` in `import * as tl`, `const tl = require(…)`, `import tl = require(…)`. */
  namespaces: Set<string>;
}

const WATCH = 'watch';
const STEP = 'step';

/** The names tracelens and its `watch` are bound to at the top of the file. */
function tracelensNames(sourceFile: ts.SourceFile): TracelensNames {
  const names: TracelensNames = { watch: new Set(), namespaces: new Set() };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      if (!isTracelensSpecifier(statement.moduleSpecifier) || !bindings || clause.isTypeOnly) continue;
      if (ts.isNamespaceImport(bindings)) names.namespaces.add(bindings.name.text);
      else {
        for (const s of bindings.elements) {
          // `(s.propertyName ?? s.name).text` is also right for `import { "watch" as w }`.
          if (!s.isTypeOnly && (s.propertyName ?? s.name).text === WATCH) names.watch.add(s.name.text);
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (!statement.isTypeOnly && ts.isExternalModuleReference(reference) && isTracelensSpecifier(reference.expression)) {
        names.namespaces.add(statement.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer && isTracelensModule(declaration.initializer)) noteRequire(declaration.name, names);
      }
    }
  }
  return names;
}

/** `const tl = require('tracelens')`, `const { watch } = await import('tracelens')`, `{ watch: w }`. */
function noteRequire(name: ts.BindingName, names: TracelensNames): void {
  if (ts.isIdentifier(name)) {
    names.namespaces.add(name.text);
    return;
  }
  if (!ts.isObjectBindingPattern(name)) return;
  for (const element of name.elements) {
    const exported = element.propertyName ?? element.name;
    const exportedName = ts.isIdentifier(exported) || ts.isStringLiteral(exported) ? exported.text : '';
    if (exportedName === WATCH && !element.dotDotDotToken && ts.isIdentifier(element.name)) names.watch.add(element.name.text);
  }
}

/** `watch.step`, `w['step']`, `tl.watch.step`, `tl['watch'].step`, each through tracelens's own binding. */
function isWatchStep(callee: ts.Expression, names: TracelensNames): boolean {
  const step = memberAccess(unwrap(callee));
  if (step === null || step.property !== STEP) return false;
  const owner = unwrap(step.object);
  if (ts.isIdentifier(owner)) return names.watch.has(owner.text) && !isShadowed(owner);
  const watch = memberAccess(owner);
  if (watch === null || watch.property !== WATCH) return false;
  const module = unwrap(watch.object);
  return ts.isIdentifier(module) && names.namespaces.has(module.text) && !isShadowed(module);
}

function memberAccess(expression: ts.Expression): { object: ts.Expression; property: string } | null {
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) {
    return { object: expression.expression, property: expression.name.text };
  }
  if (ts.isElementAccessExpression(expression) && ts.isStringLiteralLike(expression.argumentExpression)) {
    return { object: expression.expression, property: expression.argumentExpression.text };
  }
  return null;
}

/**
 * Whether a scope between the identifier and the file's top level declares its name again (a
 * parameter `watch`, a `const watch = …` in a function body), so that it is not tracelens's. The
 * file's own top level holds the import, and declaring the name there too is an error already.
 */
function isShadowed(identifier: ts.Identifier): boolean {
  const name = identifier.text;
  for (let scope = identifier.parent; scope !== undefined && !ts.isSourceFile(scope); scope = scope.parent) {
    if (declares(scope, name)) return true;
  }
  return false;
}

function declares(scope: ts.Node, name: string): boolean {
  if (ts.isBlock(scope) || ts.isModuleBlock(scope)) return scope.statements.some((s) => statementDeclares(s, name));
  if (ts.isCaseBlock(scope)) return scope.clauses.some((c) => c.statements.some((s) => statementDeclares(s, name)));
  if (ts.isFunctionLike(scope)) {
    if (scope.parameters.some((p) => bindsName(p.name, name))) return true;
    // A named function expression sees its own name; a `var` anywhere in its body is hoisted to it.
    if (ts.isFunctionExpression(scope) && scope.name?.text === name) return true;
    return hasVar(scope, name);
  }
  if ((ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope))
    && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    return scope.initializer.declarations.some((d) => bindsName(d.name, name));
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) return bindsName(scope.variableDeclaration.name, name);
  return false;
}

function statementDeclares(statement: ts.Statement, name: string): boolean {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => bindsName(d.name, name));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
    return statement.name?.text === name;
  }
  return ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && statement.name.text === name;
}

/** A `var` of that name in a function's body outside nested functions (JavaScript hoists it to the function). */
function hasVar(fn: ts.SignatureDeclaration, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) {
      found = node.declarations.some((d) => bindsName(d.name, name));
    }
    ts.forEachChild(node, visit);
  };
  const body = (fn as { body?: ts.Node }).body;
  if (body) ts.forEachChild(body, visit);
  return found;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => ts.isBindingElement(e) && bindsName(e.name, name));
}

/** Where the lens for a `watch.step` call goes: its outermost enclosing loop, else its top-level statement. */
function anchorOf(call: ts.CallExpression): ts.Node {
  let loop: ts.Node | null = null;
  let node: ts.Node = call;
  while (!ts.isSourceFile(node.parent)) {
    node = node.parent;
    if (ts.isIterationStatement(node, false)) loop = node;
  }
  if (loop === null) return node;
  // `outer: for (…)`: the label is part of the loop statement as a reader sees it.
  return ts.isLabeledStatement(loop.parent) ? loop.parent : loop;
}

