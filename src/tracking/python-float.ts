/**
 * Numbers as MLflow writes and reads them.
 *
 * - File store metric lines hold Python's `str(float)`: the shortest round-trip digits, fixed notation when
 *   the decimal exponent is in [-4, 16), else `1e+16` / `1.5e-05`; integral values end in `.0`; and `nan`,
 *   `inf`, `-inf`. Python's `float()` reads them back (and also accepts `NaN`, `Infinity`).
 * - JSON cannot hold NaN or Infinity: protobuf's JSON mapping (which MLflow's client and server use via
 *   `MessageToJson`/`ParseDict`) writes them as the strings "NaN", "Infinity", "-Infinity".
 */

/** Python's `repr(float)` / `str(float)` for a JS number. */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, as Python's repr does.
  const [mantissa, exponentText] = value.toExponential().split("e") as [string, string];
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const exponent = Number(exponentText);
  const sign = negative ? "-" : "";
  const decimalPoint = exponent + 1; // position of the point relative to the first digit
  if (decimalPoint <= -4 || decimalPoint > 16) {
    const head = digits[0]!;
    const tail = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${head}${tail}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (decimalPoint <= 0) return `${sign}0.${"0".repeat(-decimalPoint)}${digits}`;
  if (decimalPoint >= digits.length) return `${sign}${digits}${"0".repeat(decimalPoint - digits.length)}.0`;
  return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
}

/** Python's `float(text)` for the forms MLflow writes (and the usual others). Throws on anything else. */
export function parsePythonFloat(text: string): number {
  const t = text.trim().toLowerCase().replace(/_/g, "");
  const unsigned = t.replace(/^[+-]/, "");
  const negative = t.startsWith("-");
  if (unsigned === "nan") return NaN;
  if (unsigned === "inf" || unsigned === "infinity") return negative ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) throw new Error(`not a float: '${text}'`);
  return Number(t);
}

/** A metric value as protobuf JSON carries it. */
export function toJsonNumber(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** A double (or int64, which older servers send as strings) from protobuf JSON. */
export function fromJsonNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (value === "NaN") return NaN;
    if (value === "Infinity") return Infinity;
    if (value === "-Infinity") return -Infinity;
    const n = Number(value);
    if (value.trim() !== "" && !Number.isNaN(n)) return n;
  }
  return NaN;
}
