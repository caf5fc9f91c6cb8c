// Python's str.format as Keras uses it for checkpoint paths ('{epoch:02d}-{val_loss:.4f}'), and
// Python's float repr, so file names and CSV cells read as they would from Keras.

/** Python's repr of a float: '0.25', '2.0', '1e-05', 'nan', 'inf'. */
export function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const [mantissa, expPart] = v.toExponential().split('e') as [string, string];
  const exp = Number(expPart);
  // Python switches to scientific notation outside 1e-4 <= |v| < 1e16.
  if (v !== 0 && (exp < -4 || exp >= 16)) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

function twoDigitExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's 'g' presentation: precision significant digits, trailing zeros dropped. */
function generalFormat(v: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (v === 0) return alternate ? (0).toFixed(p - 1) : '0';
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  const s =
    exp >= -4 && exp < p
      ? v.toFixed(Math.max(0, p - 1 - exp))
      : twoDigitExponent(v.toExponential(p - 1));
  if (alternate) return s;
  const [mantissa, exponent] = s.split('e') as [string, string | undefined];
  const trimmed = mantissa.includes('.')
    ? mantissa.replace(/0+$/, '').replace(/\.$/, '')
    : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function parseSpec(spec: string): Spec {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`Invalid format specifier '${spec}'.`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : ''),
    sign: m[3] ?? '-',
    alternate: m[4] !== undefined,
    zero: m[5] !== undefined,
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? Number(m[8]) : undefined,
    type: m[9] ?? '',
  };
}

function group(digits: string, sep: string): string {
  if (!sep) return digits;
  const [int, frac] = digits.split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Formats one value as Python's format(value, spec) does (numbers and strings). */
export function formatValue(value: number | string, spec: string, isInt: boolean): string {
  const s = parseSpec(spec);
  let body: string;
  let sign = '';
  if (typeof value === 'string') {
    if (s.type && s.type !== 's') throw new Error(`Unknown format code '${s.type}' for a string.`);
    body = s.precision !== undefined ? value.slice(0, s.precision) : value;
  } else {
    const neg = value < 0 || Object.is(value, -0);
    const a = Math.abs(value);
    const type = s.type || (isInt ? 'd' : '');
    if (!Number.isFinite(a)) {
      body = Number.isNaN(a) ? 'nan' : 'inf';
    } else {
      switch (type) {
        case 'd':
        case 'n':
          if (!isInt)
            throw new Error(`Unknown format code '${type}' for a float value (${value}).`);
          body = String(a);
          break;
        case 'f':
        case 'F':
          body = a.toFixed(s.precision ?? 6);
          break;
        case 'e':
        case 'E':
          body = twoDigitExponent(a.toExponential(s.precision ?? 6));
          break;
        case 'g':
        case 'G':
          body = generalFormat(a, s.precision ?? 6, s.alternate);
          break;
        case '%':
          body = `${(a * 100).toFixed(s.precision ?? 6)}%`;
          break;
        case '':
          body =
            s.precision !== undefined
              ? generalFormat(a, s.precision, s.alternate)
              : isInt
                ? String(a)
                : pythonFloat(a);
          break;
        default:
          throw new Error(`Format code '${type}' is not supported.`);
      }
      if (type === 'E' || type === 'G' || type === 'F') body = body.toUpperCase();
      body = group(body, s.grouping);
    }
    sign = neg && !Number.isNaN(value) ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  }
  const len = sign.length + body.length;
  const padding = s.width > len ? s.width - len : 0;
  const align = s.align || (typeof value === 'string' ? '<' : '>');
  const fill = (n: number): string => s.fill.repeat(n);
  switch (align) {
    case '<':
      return sign + body + fill(padding);
    case '^':
      return fill(Math.floor(padding / 2)) + sign + body + fill(padding - Math.floor(padding / 2));
    case '=':
      return sign + fill(padding) + body;
    default:
      return fill(padding) + sign + body;
  }
}

/**
 * Python's `template.format(**values)` for named fields: '{epoch:02d}-{val_loss:.4f}' with
 * epoch 3 and val_loss 0.12345 gives '03-0.1235'. `{{` and `}}` are literal braces. Keys in
 * `intKeys` are formatted as Python ints, the rest as floats. Throws naming a missing key.
 */
export function formatTemplate(
  template: string,
  values: Readonly<Record<string, number | string>>,
  intKeys: readonly string[] = ['epoch', 'batch'],
): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const f = field ?? '';
    const colon = f.indexOf(':');
    const name = colon < 0 ? f : f.slice(0, colon);
    const spec = colon < 0 ? '' : f.slice(colon + 1);
    if (name.includes('!')) throw new Error(`Conversions such as '${name}' are not supported.`);
    if (!(name in values)) throw new Error(`KeyError: '${name}'`);
    return formatValue(values[name]!, spec, intKeys.includes(name));
  });
}
