import { parseArgs, type ParseArgsConfig } from "node:util";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  readonly valueName?: string;
  readonly default?: string;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly brief: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly run: (values: Readonly<Record<string, string | boolean | undefined>>) => Promise<number>;
}

/** Raised for a wrong command line; main prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: npx retail-intel ${command.usage}`, "", command.summary, "", "Options:"];
  const rows = Object.entries(command.options).map(([name, o]) => {
    const flag = `--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
    const def = o.default !== undefined ? ` (default: ${o.default})` : "";
    return [flag, `${o.description}${def}`] as const;
  });
  rows.push(["--help", "show this help"]);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  return lines.join("\n");
}

/** Parses argv for one command; unknown flags and stray arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: readonly string[]): Record<string, string | boolean | undefined> {
  const options: NonNullable<ParseArgsConfig["options"]> = { help: { type: "boolean" } };
  for (const [name, o] of Object.entries(command.options)) {
    options[name] = o.default !== undefined ? { type: o.type, default: o.default } : { type: o.type };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** A positive integer option, or a UsageError naming the flag. */
export function positiveInteger(value: string | boolean | undefined, flag: string): number {
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${flag} must be a positive integer, got '${String(value)}'`);
  }
  return n;
}

export function stringOption(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`--${flag} needs a value`);
  return value;
}
