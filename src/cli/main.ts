import { DataValidationError } from "../io/data-validation-error.js";
import { commandHelp, parseCommandArgs, UsageError, type Command } from "./command.js";
import { experimentCommand } from "./commands/experiment.js";
import { featuresCommand } from "./commands/features.js";
import { forecastCommand } from "./commands/forecast.js";
import { monitorCommand } from "./commands/monitor.js";
import { notebookCommand } from "./commands/notebook.js";
import { pipelineCommand } from "./commands/pipeline.js";
import { recommendEvalCommand } from "./commands/recommend-eval.js";
import { recommendCommand } from "./commands/recommend.js";
import { sampleCommand } from "./commands/sample.js";
import { segmentCommand } from "./commands/segment.js";
import { serveCommand } from "./commands/serve.js";
import { validateCommand } from "./commands/validate.js";

export const COMMANDS: readonly Command[] = [sampleCommand, validateCommand, featuresCommand, pipelineCommand, notebookCommand, experimentCommand, forecastCommand, segmentCommand, monitorCommand, recommendEvalCommand, recommendCommand, serveCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "Usage: npx retail-intel <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.brief}`),
    "",
    "Run `npx retail-intel <command> --help` for a command's options.",
  ].join("\n");
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 wrong usage). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${mainHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`error: unknown command '${name}'\n\n${mainHelp()}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values["help"]) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${commandHelp(command)}\n`);
      return 2;
    }
    if (error instanceof DataValidationError) {
      process.stderr.write(`error: invalid input data: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env["RETAIL_INTEL_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
