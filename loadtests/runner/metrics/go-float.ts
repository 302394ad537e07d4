// Go's strconv.ParseFloat accepts a stricter and different set of spellings than JS Number():
// no empty string, no surrounding spaces, but `inf`, `+Inf`, `NaN` and exponents.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

export function parseGoFloat(text: string): number | undefined {
  const special = SPECIAL.exec(text);
  if (special) {
    if ((special[2] as string).toLowerCase() === 'nan') return special[1] === '' ? Number.NaN : undefined;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!DECIMAL.test(text)) return undefined;
  return Number(text);
}
