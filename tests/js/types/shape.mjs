// Compare runtime values with the package's TypeScript declarations, through the TypeScript compiler API: every
// key a value has must be declared, every required declared key must be present, and each value must fit its
// declared type (primitives, literal unions, null, arrays, tuples, typed arrays, nested objects, classes).
// Used by tests/js/types.test.mjs so that the d.ts files cannot drift from what the code returns.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
// A virtual module beside this file, so that `import type … from 'segmetry'` resolves through the package's
// own `exports` (the built dist/), exactly as a consumer's import would.
const entry = join(here, '__declared-shapes.ts');
const MAX_ITEMS = 200; // elements checked per array: enough to meet every shape, cheap on big results

/**
 * Compile `types` (name → TypeScript type expression, with `S` = 'segmetry', `C` = 'segmetry/client',
 * `F` = the stats namespace) and return `mismatches(name, value)` → list of problems (empty when it fits).
 */
export function declaredShapes(types) {
  const names = Object.keys(types);
  const text = [
    "import type * as S from 'segmetry';",
    "import type * as C from 'segmetry/client';",
    "import type { stats as F } from 'segmetry';",
    ...names.map((name, i) => `export type T${i} = ${types[name]};`),
  ].join('\n');
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, lang, ...rest) =>
    file === entry ? ts.createSourceFile(file, text, lang, true) : getSourceFile.call(host, file, lang, ...rest);
  host.fileExists = (file) => file === entry || fileExists.call(host, file);
  host.readFile = (file) => (file === entry ? text : readFile.call(host, file));
  const program = ts.createProgram([entry], options, host);
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, host));
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(entry).statements.filter(ts.isTypeAliasDeclaration);
  const declared = new Map(names.map((name, i) => [name, checker.getTypeAtLocation(aliases[i].name)]));
  return (name, value) => {
    const out = [];
    check(checker, value, declared.get(name), name, out);
    return out;
  };
}

const F = ts.TypeFlags;

function check(checker, value, type, path, out) {
  const shown = () => checker.typeToString(type);
  if (type.flags & (F.Any | F.Unknown)) return;
  if (type.flags & F.Boolean) {
    if (typeof value !== 'boolean') out.push(`${path}: ${describe(value)}, declared ${shown()}`);
    return;
  }
  if (type.isUnion()) return checkUnion(checker, value, type, path, out);
  if (type.isIntersection()) {
    if (value !== null && typeof value === 'object') return checkObject(checker, value, type, path, out);
    for (const member of type.types) check(checker, value, member, path, out);
    return;
  }
  if (value === null || value === undefined) {
    const fits = value === null ? F.Null : F.Undefined | F.Void;
    if (!(type.flags & fits)) out.push(`${path}: ${describe(value)}, declared ${shown()}`);
    return;
  }
  if (!fitsPrimitive(checker, value, type)) out.push(`${path}: ${describe(value)}, declared ${shown()}`);
  else if (typeof value === 'object' && !(type.flags & F.NonPrimitive)) checkComposite(checker, value, type, path, out);
}

/** Does a primitive value (or any object) fit a non-union type at the top level? */
function fitsPrimitive(checker, value, type) {
  const emptyObject = type.flags & F.Object && checker.getPropertiesOfType(type).length === 0;
  switch (typeof value) {
    case 'string':
      return Boolean(type.flags & (F.String | F.TemplateLiteral)) || type.value === value || emptyObject;
    case 'number':
      return Boolean(type.flags & F.Number) || type.value === value || emptyObject;
    case 'boolean':
      return type.intrinsicName === String(value) || emptyObject;
    case 'bigint':
      return Boolean(type.flags & F.BigInt) || emptyObject;
    case 'function':
      return checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0 || emptyObject;
    case 'object':
      return Boolean(type.flags & (F.Object | F.NonPrimitive));
    default:
      return false;
  }
}

function checkUnion(checker, value, type, path, out) {
  let best;
  for (const member of type.types) {
    const errs = [];
    check(checker, value, member, path, errs);
    if (!errs.length) return;
    // An object that fits no member: report against the closest object member, not against `null`.
    const objectMember = member.flags & (F.Object | F.Intersection | F.NonPrimitive);
    if (value !== null && typeof value === 'object' && objectMember && (!best || errs.length < best.length))
      best = errs;
  }
  if (best) out.push(...best);
  else out.push(`${path}: ${describe(value)}, declared ${checker.typeToString(type)}`);
}

function checkComposite(checker, value, type, path, out) {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const name = type.getSymbol()?.getName();
    if (name !== 'ArrayBufferView' && !classNames(value).includes(name)) {
      out.push(`${path}: ${value.constructor.name}, declared ${checker.typeToString(type)}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (checker.isTupleType(type)) {
      const items = checker.getTypeArguments(type);
      if (items.length !== value.length) out.push(`${path}: ${value.length} items, declared ${items.length}`);
      items.forEach((item, i) => check(checker, value[i], item, `${path}[${i}]`, out));
    } else if (checker.isArrayType(type)) {
      const [item] = checker.getTypeArguments(type);
      value.slice(0, MAX_ITEMS).forEach((v, i) => check(checker, v, item, `${path}[${i}]`, out));
    } else {
      out.push(`${path}: an array, declared ${checker.typeToString(type)}`);
    }
    return;
  }
  checkObject(checker, value, type, path, out);
}

/** Keys both ways, then each property's value against its declared type. */
function checkObject(checker, value, type, path, out) {
  if (ArrayBuffer.isView(value) || Array.isArray(value)) return checkComposite(checker, value, type, path, out);
  // Symbol-keyed members (Symbol.dispose, …) are internal names starting with "__@".
  const props = checker.getPropertiesOfType(type).filter((p) => !p.getName().startsWith('__@'));
  const declared = new Map(props.map((p) => [p.getName(), p]));
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  for (const key of publicKeys(value)) {
    const prop = declared.get(key);
    const at = `${path}.${key}`;
    if (prop) check(checker, value[key], checker.getTypeOfSymbol(prop), at, out);
    else if (index) check(checker, value[key], index, at, out);
    else out.push(`${at}: present (${describe(value[key])}) but not declared`);
  }
  for (const [key, prop] of declared) {
    if (!(key in value) && !(prop.getFlags() & ts.SymbolFlags.Optional))
      out.push(`${path}.${key}: declared but missing`);
  }
}

/**
 * A plain object's own keys; for a class instance also its prototype chain's members (getters, methods), minus
 * the constructor and `_internal` names (private `#fields` are invisible anyway).
 */
function publicKeys(value) {
  const keys = new Set(Object.keys(value));
  for (let proto = Object.getPrototypeOf(value); proto && !isNative(proto.constructor);) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== 'constructor') keys.add(key);
    proto = Object.getPrototypeOf(proto);
  }
  return [...keys].filter((key) => !key.startsWith('_'));
}

/** The class and its ancestors: a Node Buffer is a Uint8Array. */
function classNames(value) {
  const names = [];
  for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    names.push(proto.constructor?.name);
  }
  return names;
}

/** Built-in classes (Object, Error, …) end the walk: their members are the language's, not the package's. */
const isNative = (ctor) =>
  typeof ctor !== 'function' || /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(ctor));

const describe = (value) =>
  value === null || typeof value !== 'object'
    ? `${typeof value === 'string' ? JSON.stringify(value).slice(0, 40) : String(value)}`
    : Array.isArray(value)
      ? 'an array'
      : (value.constructor?.name ?? 'an object');
