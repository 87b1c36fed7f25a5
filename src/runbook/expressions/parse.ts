import { err, ok, type Result } from '../../core/result.js';
import { EXPRESSION_FUNCTIONS, type BinaryOp, type ExprAst } from './ast.js';
import { tokenize, type SyntaxFailure, type Token } from './tokenize.js';

/**
 * Parses one expression (the text between `${{` and `}}`), recursive descent:
 *
 *   or      := and ('||' and)*
 *   and     := compare ('&&' compare)*
 *   compare := unary (('=='|'!='|'<'|'<='|'>'|'>=') unary)*
 *   unary   := '!' unary | postfix
 *   postfix := primary ('.' IDENT | '[' or ']')*
 *   primary := literal | IDENT '(' args ')' | IDENT | '(' or ')'
 *
 * Never throws: every malformed input is a `{message, offset}` failure.
 */
export function parseExpression(src: string): Result<ExprAst, SyntaxFailure> {
  const tokens = tokenize(src);
  if (!tokens.ok) return tokens;
  const p = new Parser(tokens.value);
  try {
    const ast = p.parseOr();
    const t = p.peek();
    if (t.kind !== 'end') return err({ message: `unexpected ${describe(t)}`, offset: t.offset });
    return ok(ast);
  } catch (e) {
    if (e instanceof ParseFailure) return err({ message: e.message, offset: e.offset });
    throw e;
  }
}

// Thrown inside the parser only, and turned into a Result above: it keeps each grammar rule short.
class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
// Deep nesting is the only way this parser could overflow the stack; refuse it with a message.
const MAX_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'end') this.i++;
    return t;
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === v;
  }
  private expectPunct(v: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== v) throw new ParseFailure(`expected "${v}" but found ${describe(t)}`, t.offset);
  }

  parseOr(): ExprAst {
    if (++this.depth > MAX_DEPTH) throw new ParseFailure('expression nested too deeply', this.peek().offset);
    let left = this.parseAnd();
    while (this.isPunct('||')) {
      this.next();
      left = { type: 'binary', op: '||', left, right: this.parseAnd(), offset: left.offset };
    }
    this.depth--;
    return left;
  }
  private parseAnd(): ExprAst {
    let left = this.parseCompare();
    while (this.isPunct('&&')) {
      this.next();
      left = { type: 'binary', op: '&&', left, right: this.parseCompare(), offset: left.offset };
    }
    return left;
  }
  private parseCompare(): ExprAst {
    let left = this.parseUnary();
    for (let t = this.peek(); t.kind === 'punct' && COMPARE.has(t.value); t = this.peek()) {
      this.next();
      left = { type: 'binary', op: t.value as BinaryOp, left, right: this.parseUnary(), offset: left.offset };
    }
    return left;
  }
  private parseUnary(): ExprAst {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '!') {
      this.next();
      if (++this.depth > MAX_DEPTH) throw new ParseFailure('expression nested too deeply', t.offset);
      const operand = this.parseUnary();
      this.depth--;
      return { type: 'not', operand, offset: t.offset };
    }
    return this.parsePostfix();
  }
  private parsePostfix(): ExprAst {
    let node = this.parsePrimary();
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident') throw new ParseFailure(`expected a property name after "." but found ${describe(name)}`, name.offset);
        node = { type: 'member', object: node, property: { type: 'literal', value: name.value, offset: name.offset }, offset: node.offset };
      } else if (this.isPunct('[')) {
        this.next();
        const property = this.parseOr();
        this.expectPunct(']');
        node = { type: 'member', object: node, property, offset: node.offset };
      } else {
        return node;
      }
    }
  }
  private parsePrimary(): ExprAst {
    const t = this.next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { type: 'literal', value: t.value, offset: t.offset };
      case 'ident': {
        if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true', offset: t.offset };
        if (t.value === 'null') return { type: 'literal', value: null, offset: t.offset };
        if (!this.isPunct('(')) return { type: 'ident', name: t.value, offset: t.offset };
        return this.parseCall(t.value, t.offset);
      }
      case 'punct':
        if (t.value === '(') {
          const inner = this.parseOr();
          this.expectPunct(')');
          return inner;
        }
        throw new ParseFailure(`unexpected ${describe(t)}`, t.offset);
      case 'end':
        throw new ParseFailure('unexpected end of expression', t.offset);
    }
  }
  private parseCall(name: string, offset: number): ExprAst {
    const arity = EXPRESSION_FUNCTIONS[name];
    if (!arity) throw new ParseFailure(`unknown function ${name}() (known: ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')})`, offset);
    this.expectPunct('(');
    const args: ExprAst[] = [];
    if (!this.isPunct(')')) {
      args.push(this.parseOr());
      while (this.isPunct(',')) {
        this.next();
        args.push(this.parseOr());
      }
    }
    this.expectPunct(')');
    const [min, max] = arity;
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      throw new ParseFailure(`${name}() takes ${want} argument${max === 1 ? '' : 's'}, got ${args.length}`, offset);
    }
    return { type: 'call', name, args, offset };
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return `string ${JSON.stringify(t.value)}`;
    case 'number':
      return `number ${t.value}`;
    case 'ident':
      return `"${t.value}"`;
    case 'punct':
      return `"${t.value}"`;
  }
}
