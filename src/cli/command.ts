import { parseArgs, type ParseArgsConfig } from "node:util";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  readonly valueName?: string;
  readonly default?: string;
  /** May be given several times; the values arrive as a list. */
  readonly multiple?: boolean;
}

export type OptionValue = string | boolean | string[] | undefined;

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly brief: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Name of the one positional argument the command takes, if any (e.g. FILE). */
  readonly positional?: string;
  readonly run: (values: Readonly<Record<string, OptionValue>>, positionals: readonly string[]) => Promise<number>;
}

/** Raised for a wrong command line; main prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: npx retail-intel ${command.usage}`, "", command.summary, "", "Options:"];
  const rows = Object.entries(command.options).map(([name, o]) => {
    const flag = `--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}${o.multiple ? " (repeatable)" : ""}`;
    const def = o.default !== undefined ? ` (default: ${o.default})` : "";
    return [flag, `${o.description}${def}`] as const;
  });
  rows.push(["--help", "show this help"]);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  return lines.join("\n");
}

/**
 * Node's parseArgs refuses `--periods -5` ("argument is ambiguous"), so the command never gets to say
 * what is wrong with the value. A string option followed by a token with one leading dash (`-5`, `-x`)
 * takes that token as its value, as `--periods=-5` would; the option's own check then speaks.
 * A token starting with `--` stays a flag: `--out --force` is a forgotten value, not a folder name.
 */
function attachDashValues(command: Command, argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = token.startsWith("--") && !token.includes("=") ? token.slice(2) : undefined;
    if (name !== undefined && command.options[name]?.type === "string" && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** Parses argv for one command; unknown flags and stray arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: readonly string[]): { values: Record<string, OptionValue>; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig["options"]> = { help: { type: "boolean" } };
  for (const [name, o] of Object.entries(command.options)) {
    options[name] = {
      type: o.type,
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    } as NonNullable<ParseArgsConfig["options"]>[string];
  }
  try {
    const { values, positionals } = parseArgs({ args: attachDashValues(command, argv), options, allowPositionals: true, strict: true });
    const allowed = command.positional ? 1 : 0;
    if (positionals.length > allowed) throw new UsageError(`unexpected argument '${positionals[allowed]}'`);
    return { values: values as Record<string, OptionValue>, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** A positive integer option, or a UsageError naming the flag. */
export function positiveInteger(value: OptionValue, flag: string): number {
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${flag} must be a positive integer, got '${String(value)}'`);
  }
  return n;
}

export function stringOption(value: OptionValue, flag: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`--${flag} needs a value`);
  return value;
}
